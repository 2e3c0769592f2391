#!/bin/zsh -f
# zsh_complete.zsh FUNCTION_DIR OUTFILE LINE: what zsh's completion system offers for the last word of
# LINE, as an interactive zsh (in a pseudo-terminal, zsh/zpty) with the completion functions of
# FUNCTION_DIR would after one Tab: one match per line in OUTFILE (none: no file). For
# tests/integration/cli_conventions_test.cpp.
zmodload zsh/zpty || exit 77
local dir=$1 out=$2 line=$3 text
zpty -b z zsh -f -i
zpty -w z "PS1='>'; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D; unsetopt beep"
# Every match added (compadd -A lists the matches of the word without adding them); the calls that only
# compute or filter (-O, -A, -D: _describe's, _arguments') are passed on untouched.
zpty -w z "compadd() { if [[ \" \$* \" == *\" -\"[OAD]\" \"* ]]; then builtin compadd \"\$@\"; return; fi; local -a hits; builtin compadd -A hits \"\$@\"; (( \$#hits )) && print -rl -- \$hits >> ${(q)out}; builtin compadd \"\$@\"; }"
zpty -w -n z "$line"$'\t'
# Then the completed line is made a no-op command (':') and run: once the marker after it prints, the
# Tab has been handled.
zpty -w z $'\C-a: '
zpty -w z "print __DO''NE__"
zpty -r -m z text '*__DONE__*' || exit 3
zpty -d z
