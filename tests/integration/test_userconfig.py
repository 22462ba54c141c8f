#!/usr/bin/env python3
"""Your own config file, found where you expect it: without --config or
--preset, $ISITDOWN_CONFIG, else $XDG_CONFIG_HOME/isitdown/config.json (else
~/.config/isitdown/config.json), else the built-in OpenAI preset. A damaged
file is refused like any config error (file:line:col, exit 3); --print-config
says which file it read; --config and --preset still win."""

import atexit
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import check, check_eq, check_in  # noqa: E402

MINE = {"service": "Mine", "targets": [{"name": "mine-web", "url": "http://127.0.0.1:9/"}]}


def new_home():
    home = tempfile.mkdtemp(prefix="isitdown-home-")
    atexit.register(shutil.rmtree, home, True)
    return home


def home_with(path_in_home, content):
    home = new_home()
    path = os.path.join(home, path_in_home)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(content if isinstance(content, str) else json.dumps(content))
    return home, path


def print_config(home, env=None, args=()):
    # run_isitdown's config=None passes no --config: the program looks itself
    rc, out, err = lib.run_isitdown(["--print-config"] + list(args), None, env=env, home=home, timeout=30)
    return rc, out, err


def test_xdg_config_home_file_is_read():
    home, path = home_with(".config/isitdown/config.json", MINE)
    rc, out, err = print_config(home)
    check_eq(rc, 0, "exit status")
    check_eq(json.loads(out)["service"], "Mine", "service from the user's file")
    check_in("configuration read from %s ($XDG_CONFIG_HOME)" % path, err, "stderr")


def test_dot_config_without_xdg_config_home():
    home, path = home_with(".config/isitdown/config.json", MINE)
    rc, out, err = print_config(home, env={"XDG_CONFIG_HOME": None})
    check_eq(rc, 0, "exit status")
    check_eq(json.loads(out)["service"], "Mine", "service from ~/.config")


def test_isitdown_config_wins_over_xdg():
    home, _ = home_with(".config/isitdown/config.json", MINE)
    other = dict(MINE, service="FromEnv")
    _, env_path = home_with("elsewhere/cfg.json", other)
    rc, out, err = print_config(home, env={"ISITDOWN_CONFIG": env_path})
    check_eq(rc, 0, "exit status")
    check_eq(json.loads(out)["service"], "FromEnv", "service from $ISITDOWN_CONFIG")
    check_in("($ISITDOWN_CONFIG)", err, "stderr")


def test_explicit_config_and_preset_win():
    home, _ = home_with(".config/isitdown/config.json", MINE)
    rc, out, err = print_config(home, args=["--preset", "github"])
    check_eq(rc, 0, "exit status")
    check_eq(json.loads(out)["service"], "GitHub", "--preset wins")
    check_eq(err, "", "stderr when the command line says which config")


def test_no_file_means_the_openai_preset():
    home = new_home()
    rc, out, err = print_config(home)
    check_eq(rc, 0, "exit status")
    check_eq(json.loads(out)["service"], "OpenAI", "the default preset")
    check_in("the built-in preset openai", err, "stderr")


def test_a_damaged_file_is_refused_with_its_position():
    for where in (".config/isitdown/config.json", "elsewhere/cfg.json"):
        home, path = home_with(where, '{\n  "service": "Mine",\n  "targets": [}\n')
        env = {"ISITDOWN_CONFIG": path} if where.startswith("elsewhere") else None
        rc, out, err = lib.run_isitdown(["--once"], None, env=env, home=home, timeout=30)
        check_eq(rc, 3, "exit status for a damaged %s" % where)
        check(re.search(re.escape(path) + r":3:\d+: ", err), "file:line:col in %r" % err)
        check_eq(out, "", "stdout")


def test_a_missing_isitdown_config_is_an_error():
    home = new_home()
    rc, out, err = print_config(home, env={"ISITDOWN_CONFIG": os.path.join(home, "nope.json")})
    check_eq(rc, 3, "exit status")
    check_in("nope.json", err, "stderr names the file")


def test_a_file_may_start_from_a_preset():
    """"preset": "openai" with a few keys and targets: the preset's targets, the
    file's settings, a target of the same name replaced, a new one added."""
    mine = {"preset": "openai", "interval_s": 30, "theme": "mono",
            "targets": [{"name": "api", "kind": "http", "url": "https://api.example.test/v1/models",
                         "component": "API"},
                        {"name": "my-gateway", "kind": "tcp", "host": "127.0.0.1", "port": 8443}]}
    home, path = home_with(".config/isitdown/config.json", mine)
    rc, out, err = print_config(home)
    check_eq(rc, 0, "exit status: %s" % err)
    doc = json.loads(out)
    check_eq(doc["service"], "OpenAI", "service from the preset")
    check_eq(doc["theme"], "mono", "theme from the file")
    names = [t["name"] for t in doc["targets"]]
    check(names.count("api") == 1 and names[-1] == "my-gateway" and "chatgpt-web" in names,
          "the preset's targets, api replaced, the gateway added: %s" % names)
    api = [t for t in doc["targets"] if t["name"] == "api"][0]
    check_eq(api["url"], "https://api.example.test/v1/models", "the file's api target")
    check(all(t["interval_s"] >= 30 for t in doc["targets"]), "the file's interval for every target", doc)
    # the file's own mistakes are reported where they are
    home, path = home_with(".config/isitdown/config.json",
                           '{"preset": "openai",\n "targets": [{"name": "x"}]}\n')
    rc, out, err = print_config(home)
    check_eq(rc, 3, "exit status")
    check(re.search(re.escape(path) + r":2:\d+: missing key \"url\" in target \"x\"", err), err)
    home, path = home_with(".config/isitdown/config.json", '{"preset": "nope"}')
    rc, out, err = print_config(home)
    check_eq(rc, 3, "exit status")
    check(re.search(re.escape(path) + r":1:12: unknown preset \"nope\"", err), err)


def test_help_names_the_files():
    rc, out, err = lib.run_isitdown(["--help"], None, timeout=30)
    check_eq(rc, 0, "exit status")
    for words in ("$ISITDOWN_CONFIG", "$XDG_CONFIG_HOME/isitdown/config.json", "$XDG_STATE_HOME/isitdown",
                  "themes"):
        check_in(words, out, "--help")


if __name__ == "__main__":
    lib.main()
