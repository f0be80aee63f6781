#!/usr/bin/python3
"""kernel-doc on kmod/: the kernel's scripts/kernel-doc finds nothing to
warn about (-none -v), and every non-static function defined in a .c file
has a kernel-doc comment (kernel-doc -rst names the documented ones; a
function it does not name is undocumented).

    kerneldoc_check.py [-Wall] PATH/TO/scripts/kernel-doc FILE...

-Wall (kernel-doc 6.3 and later) adds its warnings about missing return
value descriptions and short descriptions to -v's.

Prints each problem and exits 1, or exits 0 silently."""
import re
import subprocess
import sys


def definitions(path):
    """[(line, name)] of the non-static functions defined in path: a line at
    column 0 that is not static and names a function, whose parameter list
    closes at the end of a line followed by '{' alone (kernel style)."""
    lines = open(path).read().split('\n')
    out = []
    for i, line in enumerate(lines):
        if not re.match(r'[A-Za-z_]', line) or re.match(
                r'(static|typedef|extern|#|module_|MODULE_|EXPORT_)', line):
            continue
        m = re.match(r'[^(=;{}]*?\b(\w+)\(', line)
        if not m:
            continue
        j = i
        while j < len(lines) and not re.search(r'\)\s*$', lines[j]):
            if lines[j].rstrip().endswith((';', '{', '}')):
                break
            j += 1
        if j + 1 < len(lines) and re.search(r'\)\s*$', lines[j]) \
                and lines[j + 1] == '{':
            out.append((i + 1, m.group(1)))
    return out


def main():
    args = sys.argv[1:]
    flags = ['-v']
    if args[0] == '-Wall':
        flags.append(args.pop(0))
    kdoc, files = args[0], args[1:]
    bad = 0
    run = subprocess.run(['perl', kdoc, '-none'] + flags + files,
                         capture_output=True, text=True)
    for line in (run.stdout + run.stderr).splitlines():
        if ': info: ' not in line:
            print(line)
            bad += 1
    if run.returncode:
        print('kernel-doc -none exited %d' % run.returncode)
        bad += 1
    sources = [f for f in files if f.endswith('.c')]
    rst = subprocess.run(['perl', kdoc, '-rst'] + sources,
                         capture_output=True, text=True).stdout
    documented = set(re.findall(r'^\.\. c:function:: .*?\b(\w+)\s*\(', rst, re.M))
    for path in sources:
        for line, name in definitions(path):
            if name not in documented:
                print('%s:%d: %s() is not static and has no kernel-doc comment'
                      % (path, line, name))
                bad += 1
    sys.exit(1 if bad else 0)


main()
