# bash completion for isitdown                              -*- shell-script -*-
# Installed to share/bash-completion/completions/isitdown; presets and themes
# are asked of the program itself, so they never drift from what it knows.

_isitdown()
{
    local cur prev words cword
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
    fi

    case $prev in
        -c|--config|--report)
            COMPREPLY=($(compgen -f -- "$cur"))
            return
            ;;
        --state-dir)
            COMPREPLY=($(compgen -d -- "$cur"))
            return
            ;;
        -p|--preset)
            COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" --list-presets 2>/dev/null | awk '{print $1}')" -- "$cur"))
            return
            ;;
        -t|--theme)
            COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" --list-themes 2>/dev/null | awk '{print $1}')" -- "$cur"))
            return
            ;;
        --metrics|--on-change)
            return
            ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--once --json --lines --headless --print-config --list-presets
            --list-themes --config --preset --theme --metrics --report --state-dir --no-state
            --notify --on-change --help --version -c -p -t -h -V" -- "$cur"))
    fi
}
complete -F _isitdown isitdown
