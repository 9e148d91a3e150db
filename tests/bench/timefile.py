"""Reads the report of GNU time -v: wall seconds, CPU seconds (user + system), peak RSS in MB."""
import re


def time_stats(path):
    text = open(path).read()
    wall = re.search(r'Elapsed \(wall clock\) time.*: (.*)', text).group(1).split(':')
    seconds = 0.0
    for part in wall:
        seconds = seconds * 60 + float(part)
    user = float(re.search(r'User time \(seconds\): (.*)', text).group(1))
    system = float(re.search(r'System time \(seconds\): (.*)', text).group(1))
    rss = int(re.search(r'Maximum resident set size \(kbytes\): (.*)', text).group(1)) / 1024
    return seconds, user + system, rss
