"""T keeps the theme: after t picks another theme, T asks in the status line
whether to save it in the config file in use, n leaves the file alone, y
writes "theme" into it and keeps every other key; the next start uses it."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check, run  # noqa: E402


def body(scr):
    cfg = os.path.join(scr.dir, "cfg.json")
    with open(cfg) as f:
        before = json.load(f)
    scr.wait_text("Checklist", timeout=20)
    scr.send("t")
    t = scr.wait(lambda t: "theme: " in t, "the theme's name in the status line")
    name = t.split("theme: ", 1)[1].split()[0]
    scr.send("T")
    scr.wait_text("save theme %s in" % name)
    scr.wait_text("? y/n")
    scr.send("n")
    scr.wait_text("theme not saved")
    with open(cfg) as f:
        check(json.load(f) == before, "n changed the file", scr)
    scr.send("T")
    scr.wait_text("? y/n")
    scr.send("y")
    scr.wait_text("theme %s saved in" % name)
    with open(cfg) as f:
        after = json.load(f)
    check(after.get("theme") == name, "the file's theme is %r, not %r" % (after.get("theme"), name), scr)
    del after["theme"]
    before.pop("theme", None)
    check(after == before, "saving the theme changed other keys", scr)
    check(oct(os.stat(cfg).st_mode & 0o777) == "0o600", "the config is private after saving", scr)


if __name__ == "__main__":
    run("savetheme", body, cols=120, rows=40)
