"""Themes as a person sees them in tmux (capture-pane -e shows the SGR escape
codes): `t` goes round the themes and names each, and the colours change with
it; --theme NAME and --theme PATH load the same theme; a user's theme in
$XDG_CONFIG_HOME/isitdown/themes/ is found by `t` and by name; a broken theme
file is named with its line and column and the default theme is used instead;
NO_COLOR=1 draws no colour at all while the state stays readable in words and
symbols; mono uses bold, reverse and underline only."""

import json
import os
import re
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Failure, Screen, check  # noqa: E402

THEMES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "themes")
BUILTIN = ["default", "light", "high-contrast", "solarized-dark", "mono"]
TERM = {"TERM": "xterm-256color"}
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
# SGR parameters that are not colours: reset, bold, dim, italic, underline,
# blink, reverse, their offs, and the terminal's default colours
NOT_COLOUR = {0, 1, 2, 3, 4, 5, 7, 21, 22, 23, 24, 25, 27, 39, 49}

# the colours of the status panel's title line under each theme, as `t` showed them
seen = {}


def sgr_params(text):
    """Every SGR parameter list of the text, e.g. [[1, 7], [38, 5, 77]]."""
    out = []
    for m in SGR.finditer(text):
        out.append([int(p) for p in re.split("[;:]", m.group(1)) if p] or [0])
    return out


def colours(text):
    """The colour codes of the text: ('fg', '5;77'), ('bg', '3'), ...; the
    terminal's default colours (39, 49) do not count."""
    found = set()
    for params in sgr_params(text):
        i = 0
        while i < len(params):
            p = params[i]
            if p in (38, 48):
                kind = "fg" if p == 38 else "bg"
                if i + 1 < len(params) and params[i + 1] == 5:
                    found.add((kind, "5;%d" % params[i + 2] if i + 2 < len(params) else "5"))
                    i += 3
                    continue
                if i + 1 < len(params) and params[i + 1] == 2:
                    found.add((kind, "2;" + ";".join(map(str, params[i + 2:i + 5]))))
                    i += 5
                    continue
                found.add((kind, "?"))
            elif 30 <= p <= 37 or 90 <= p <= 97:
                found.add(("fg", str(p)))
            elif 40 <= p <= 47 or 100 <= p <= 107:
                found.add(("bg", str(p)))
            i += 1
    return found


def escaped(scr):
    return scr.tmux("capture-pane", "-p", "-e", "-t", scr.session)


def title_line(esc):
    """The status panel's title line with its escape codes (row 1)."""
    return esc.split("\n")[1]


def first_frame(scr):
    return scr.wait(lambda t: "operational" in t and "PENDING" not in t and "Status" in t,
                    "the first round of probes", timeout=20)


def footer(scr):
    return scr.text().rstrip("\n").split("\n")[-1]


def screen(name, **kw):
    env = dict(TERM)
    env.update(kw.pop("env", {}))
    return Screen(name, env=env, **kw)


def test_t_cycles_themes(xdg):
    """t goes round every shipped theme, names it, and changes the colours."""
    scr = screen("themes-t", cols=100, rows=24, env={"XDG_CONFIG_HOME": xdg})
    try:
        first_frame(scr)
        esc = escaped(scr)
        check(colours(esc), "the default theme draws no colour", scr)
        seen["default"] = colours(title_line(esc))
        for name in BUILTIN[1:] + BUILTIN[:1]:
            before = escaped(scr)
            scr.send("t")
            scr.wait(lambda t: re.search(r"theme: %s\b" % re.escape(name), t.split("\n")[scr.rows - 1]),
                     "'theme: %s' in the footer" % name)
            # the footer message is drawn in the same frame as the new colours
            esc = escaped(scr)
            line = colours(title_line(esc))
            if name in seen:
                check(line == seen[name], "back at %s, the title line has other colours: %s, was %s"
                      % (name, sorted(line), sorted(seen[name])), scr)
            seen[name] = line
            if name == "mono":
                check(not colours(esc), "mono draws colours: %s" % sorted(colours(esc)), scr)
            else:
                check(line, "theme %s: no colour on the title line" % name, scr)
            check(colours(esc) != colours(before) or name == "default",
                  "t to %s did not change the colours" % name, scr)
        coloured = [tuple(sorted(seen[n])) for n in BUILTIN if n != "mono"]
        check(len(set(coloured)) == len(coloured),
              "two themes draw the title line alike: %s" % dict(zip(BUILTIN, coloured)))
        check(not scr.exited(), "isitdown exited while switching themes", scr)
    finally:
        scr.close()


def test_theme_by_name_and_path(xdg):
    tmp = tempfile.mkdtemp(prefix="isitdown-themes-")
    try:
        # the shipped file under another name, anywhere: the same colours as by name
        path = os.path.join(tmp, "my light.json")
        shutil.copy(os.path.join(THEMES_DIR, "light.json"), path)
        for args, extra, what in ((["--theme", "light"], None, "--theme light"),
                                  (["--theme", path], None, "--theme PATH"),
                                  ([], {"theme": "light"}, "the config's \"theme\"")):
            scr = screen("themes-arg", cols=100, rows=24, args=args, env={"XDG_CONFIG_HOME": xdg},
                         config_extra=extra)
            try:
                first_frame(scr)
                line = colours(title_line(escaped(scr)))
                check(line == seen["light"], "%s: title colours %s, light has %s"
                      % (what, sorted(line), sorted(seen["light"])), scr)
                check(line != seen["default"], "%s draws like the default theme" % what, scr)
                check("theme:" not in footer(scr), "%s complained" % what, scr)
            finally:
                scr.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_user_theme(xdg):
    """A theme in $XDG_CONFIG_HOME/isitdown/themes/ joins the cycle and loads by name."""
    user_dir = os.path.join(xdg, "isitdown", "themes")
    with open(os.path.join(THEMES_DIR, "high-contrast.json")) as f:
        doc = json.load(f)
    doc["description"] = "a user's own theme"
    with open(os.path.join(user_dir, "zz-mine.json"), "w") as f:
        json.dump(doc, f)
    try:
        scr = screen("themes-user", cols=100, rows=24, env={"XDG_CONFIG_HOME": xdg})
        try:
            first_frame(scr)
            names = []
            for _ in range(len(BUILTIN) + 1):
                scr.send("t")
                t = scr.wait(lambda t: re.search(r"theme: (\S+)", t.split("\n")[scr.rows - 1])
                             and re.search(r"theme: (\S+)", t.split("\n")[scr.rows - 1]).group(1)
                             != (names[-1] if names else "default"), "the next theme")
                names.append(re.search(r"theme: (\S+)", t.split("\n")[scr.rows - 1]).group(1))
            check(names == BUILTIN[1:] + ["zz-mine", "default"], "t went round %s" % names, scr)
        finally:
            scr.close()
        scr = screen("themes-user2", cols=100, rows=24, args=["--theme", "zz-mine"],
                     env={"XDG_CONFIG_HOME": xdg})
        try:
            first_frame(scr)
            line = colours(title_line(escaped(scr)))
            check(line == seen["high-contrast"], "--theme zz-mine: title colours %s, expected %s"
                  % (sorted(line), sorted(seen["high-contrast"])), scr)
        finally:
            scr.close()
    finally:
        os.unlink(os.path.join(user_dir, "zz-mine.json"))


def test_broken_theme(xdg):
    tmp = tempfile.mkdtemp(prefix="isitdown-themes-")
    try:
        path = os.path.join(tmp, "broken.json")
        with open(path, "w") as f:
            f.write('{\n  "description": "broken",\n  "roles": {\n'
                    '    "normal": { "fg": "#12345g" }\n  }\n}\n')
        scr = screen("themes-broken", cols=120, rows=24, args=["--theme", path], env={"XDG_CONFIG_HOME": xdg})
        try:
            first_frame(scr)
            msg = footer(scr)
            check('theme: %s:4:23: unknown colour "#12345g" for role "normal"' % path in msg,
                  "no file:line:col message in the footer: %r" % msg, scr)
            # and the default theme is drawn instead
            line = colours(title_line(escaped(scr)))
            check(line == seen["default"], "broken theme: title colours %s, default has %s"
                  % (sorted(line), sorted(seen["default"])), scr)
            time.sleep(1)
            check(not scr.exited(), "isitdown exited over a broken theme", scr)
        finally:
            scr.close()
        # a syntax error: the line and column of the bad byte
        with open(path, "w") as f:
            f.write('{\n  "description": "broken"\n  "roles": {}\n}\n')
        scr = screen("themes-broken2", cols=120, rows=24, args=["--theme", path], env={"XDG_CONFIG_HOME": xdg})
        try:
            first_frame(scr)
            msg = footer(scr)
            check(re.search(r"theme: %s:3:3: " % re.escape(path), msg),
                  "no file:3:3 message for a missing comma: %r" % msg, scr)
            check(colours(title_line(escaped(scr))) == seen["default"], "not the default theme", scr)
        finally:
            scr.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_no_color(xdg):
    scr = screen("themes-nocolor", cols=100, rows=24, env={"NO_COLOR": "1", "XDG_CONFIG_HOME": xdg})
    try:
        scr.service.state["api"] = 503
        t = scr.wait(lambda t: re.search(r"^  api +\u2716 DOWN", t, re.M) and re.search(r"^  web +\u2714 UP", t, re.M),
                     "api down and web up, in words and symbols", timeout=20)
        esc = escaped(scr)
        check(not colours(esc), "colour codes with NO_COLOR=1: %s" % sorted(colours(esc)), scr)
        check(SGR.search(esc), "no attributes at all: is capture-pane -e working?", scr)
        bar = t.split("\n")[0]
        check(re.match(r" (PARTIAL OUTAGE|MAJOR OUTAGE|DEGRADED) ", bar), "the verdict bar in words: %r" % bar, scr)
        check(re.search(r"\bCRIT\b", t), "the log's severity in words", scr)
        check(re.search(r"\u2716 (fail|FAIL)|fail ", t), "the checklist shows the failure in words", scr)
        # slow answers have a glyph of their own when colour cannot tell them apart
        check("\u2585 answer \u2593 slow \u2716 failed" in t, "the latency legend without colour", scr)
        # t still goes round, and says why nothing changes colour
        scr.send("t")
        scr.wait_text("theme: light (this terminal shows no colour: attributes only)")
        esc = escaped(scr)
        check(not colours(esc), "colour codes after t with NO_COLOR=1: %s" % sorted(colours(esc)), scr)
    finally:
        scr.close()


def test_mono(xdg):
    scr = screen("themes-mono", cols=100, rows=24, args=["--theme", "mono"], env={"XDG_CONFIG_HOME": xdg})
    try:
        scr.service.state["api"] = 503
        scr.wait(lambda t: re.search(r"^  api +\u2716 DOWN", t, re.M), "api down", timeout=20)
        esc = escaped(scr)
        used = {p for params in sgr_params(esc) for p in params}
        # tmux writes 4 (underline) and its off 24; reverse 7 / 27; bold 1, off 22
        check(used <= {0, 1, 4, 7, 22, 24, 27, 39, 49},
              "mono uses more than bold, reverse and underline: %s" % sorted(used - {0, 39, 49}), scr)
        check({1, 7, 4} <= used, "mono does not use bold, reverse and underline: %s" % sorted(used), scr)
    finally:
        scr.close()


def main():
    started = time.time()
    xdg = tempfile.mkdtemp(prefix="isitdown-themes-xdg-")
    os.makedirs(os.path.join(xdg, "isitdown", "themes"))
    tests = [test_t_cycles_themes, test_theme_by_name_and_path, test_user_theme, test_broken_theme,
             test_no_color, test_mono]
    wanted = sys.argv[1:]
    failed = 0
    try:
        for fn in tests:
            if wanted and not any(w in fn.__name__ for w in wanted) and fn is not test_t_cycles_themes:
                continue
            t0 = time.time()
            try:
                fn(xdg)
                print("PASS %s (%.1f s)" % (fn.__name__, time.time() - t0), flush=True)
            except Failure as e:
                failed += 1
                print("FAIL %s: %s" % (fn.__name__, e), flush=True)
                if fn is test_t_cycles_themes:
                    break  # the others compare with what it saw
    finally:
        shutil.rmtree(xdg, ignore_errors=True)
    print("themes: %d failed (%.1f s)" % (failed, time.time() - started))
    sys.exit(1 if failed else 0)


main()
