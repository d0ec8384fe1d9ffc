#compdef pkg
# zsh completion for pkg.  Load it with:  eval "$(pkg complete --script zsh)"  (after
# compinit), or install it in a directory of fpath with:  pkg complete --install zsh
#
# pkg complete reads the line from COMP_LINE and the cursor from COMP_POINT, and prints
# one candidate a line; with none, file names are completed.

_pkg() {
    local line="${(j: :)words[1,CURRENT-1]} ${PREFIX}"
    local -a candidates
    candidates=("${(@f)$(COMP_LINE="$line" COMP_POINT=${#line} command pkg complete 2>/dev/null)}")
    candidates=("${(@)candidates:#}")
    if (( ${#candidates} )); then
        compadd -- "${candidates[@]}"
    else
        _files
    fi
}

if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then
    _pkg "$@"
elif (( $+functions[compdef] )); then
    compdef _pkg pkg
fi
