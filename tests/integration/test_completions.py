#!/usr/bin/env python3
"""Shell completions (doc/completions/): bash loads them (complete -p
isitdown) and completes options, presets and themes by asking the program;
every option --help names is in the bash, zsh and fish files (and the man
page, with the keys, the config, the files and the environment) and none that it
does not name (zsh and fish are not installed here: their files are
checked as text)."""

import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import check, check_eq, check_in  # noqa: E402

DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "doc", "completions")
BASH = os.path.join(DOC, "isitdown.bash")
ZSH = os.path.join(DOC, "_isitdown")
FISH = os.path.join(DOC, "isitdown.fish")


def help_options():
    rc, out, err = lib.run_isitdown(["--help"], None, timeout=30)
    check_eq(rc, 0, "--help exit status")
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", out))


def bash(script):
    bindir = os.path.dirname(os.path.abspath(lib.isitdown_path()))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], env=env, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    check_eq(p.returncode, 0, "bash: %s" % p.stderr)
    return p.stdout


def complete(words):
    """What bash offers for the last word of `isitdown WORDS`."""
    line = "isitdown " + " ".join(words)
    arr = " ".join("'%s'" % w for w in ["isitdown"] + list(words))
    return bash('source "%s"; COMP_WORDS=(%s); COMP_CWORD=%d; COMP_LINE="%s"; COMP_POINT=%d; _isitdown; '
                'printf "%%s\\n" "${COMPREPLY[@]}"' % (BASH, arr, len(words), line, len(line))).split()


def test_bash_loads_and_completes():
    out = bash('source "%s"; complete -p isitdown' % BASH)
    check_in("-F _isitdown", out, "complete -p isitdown")
    check(set(complete(["--o"])) >= {"--once", "--on-change"}, "options for --o", complete(["--o"]))
    presets = complete(["--preset", ""])
    check_eq(sorted(presets), ["all-ai", "anthropic", "cohere", "deepseek", "gemini", "github", "groq",
                              "mistral", "openai", "perplexity"], "presets offered")
    themes = complete(["--theme", ""])
    check("default" in themes and "mono" in themes, "themes offered: %s" % themes)


def test_every_file_names_every_option():
    opts = help_options()
    check("--once" in opts and "--on-change" in opts, "options read from --help", opts)
    for path in (BASH, ZSH, FISH):
        with open(path) as f:
            text = f.read()
        if path == FISH:
            named = {"--" + m for m in re.findall(r"-l ([a-z][a-z-]+)", text)}
        else:
            named = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", text))
        check_eq(sorted(opts - named), [], "options of --help missing in %s" % os.path.basename(path))
        check_eq(sorted(named - opts), [], "options in %s that --help does not name" % os.path.basename(path))


def test_man_page_names_every_option_and_key():
    """The man page covers every option --help names, and the keys."""
    man = os.path.join(DOC, "..", "isitdown.1")
    with open(man) as f:
        text = f.read().replace("\\-", "-").replace("\\fB", "").replace("\\fR", "").replace("\\fP", "")
    for opt in sorted(help_options()):
        check(opt in text, "the man page does not name %s" % opt)
    for section in (".SH KEYS", ".SH CONFIGURATION", ".SH FILES", ".SH ENVIRONMENT"):
        check_in(section, text, "man page sections")
    for key in ("r", "p", "t", "e", "q", "Tab", "Enter", "^L"):
        check(re.search(r"^\.B %s\b" % re.escape(key), text, re.M) or ("\n.B %s" % key) in text,
              "the man page's KEYS lacks %s" % key)
    for var in ("ISITDOWN_CONFIG", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "NO_COLOR", "OPENAI_API_KEY"):
        check_in(var, text, "man page environment")


if __name__ == "__main__":
    lib.main()
