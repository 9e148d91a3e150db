# bash completion for wordvec: commands, each command's options and the values
# of the options that take a fixed set. Options are read from the installed
# binary's own `wordvec --help` and `wordvec CMD --help`, so they cannot drift from it.

_wordvec_options() {
  # Every long and short option of one command, cached per command and binary.
  local cmd=$1 key
  key="_wordvec_cache_${cmd//-/_}"
  if [[ -z ${!key-} ]]; then
    printf -v "$key" '%s' "$("$_wordvec_bin" "$cmd" --help 2>/dev/null |
      grep -oE -- '(^|[[:space:]\[])--?[a-zA-Z][a-zA-Z0-9-]*' | grep -oE -- '--?[a-zA-Z][a-zA-Z0-9-]*' | sort -u | tr '\n' ' ')"
  fi
  printf '%s' "${!key}"
}

_wordvec_commands() {
  # The commands `wordvec --help` lists (two-space indented under "commands:"), and help.
  "$_wordvec_bin" --help 2>/dev/null | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }'
  echo help
}

_wordvec_values() {
  # The fixed values of an option, or nothing (then files are offered).
  case $1 in
    -m | --model) echo "skipgram cbow glove" ;;
    --format | --to) echo "bin text vec glove npy projector" ;;
    --loss) echo "ns hs" ;;
    --update) echo "auto batched exact" ;;
    --method) echo "add mul" ;;
    --oov) echo "skip subword" ;;
    --compress) echo "auto none gzip bzip2 xz zstd" ;;
    --dim) echo "auto" ;;
    --sync-combine) echo "sum mean" ;;
    --sync-every) echo "auto" ;;
    *) return 1 ;;
  esac
}

_wordvec() {
  local cur prev words cword
  if declare -F _init_completion > /dev/null; then
    _init_completion || return
  else
    cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
  fi
  local _wordvec_bin=${words[0]}
  local commands
  commands=$(_wordvec_commands | tr '\n' ' ')
  if ((cword == 1)); then
    mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
    return
  fi
  local cmd=${words[1]}
  if [[ $cmd == help ]]; then
    ((cword == 2)) && mapfile -t COMPREPLY < <(compgen -W "${commands% help }" -- "$cur")
    return
  fi
  local values
  if values=$(_wordvec_values "$prev"); then
    mapfile -t COMPREPLY < <(compgen -W "$values" -- "$cur")
    return
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_wordvec_options "$cmd")" -- "$cur")
    return
  fi
  if declare -F _filedir > /dev/null; then
    _filedir
  else
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  fi
}
complete -F _wordvec wordvec
