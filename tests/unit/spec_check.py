#!/usr/bin/python3
"""Check that the YNL spec and the uapi header describe the same ABI:
every enum, constant, attribute set and command, with the same names and
values."""
import re
import sys

import yaml


def header_enums(text):
    """{first member's prefix: [(NAME, value), ...]} for every enum."""
    out = []
    for body in re.findall(r'enum\s*\w*\s*\{(.*?)\};', text, re.S):
        val, items = -1, []
        for line in body.split('\n'):
            line = re.sub(r'/\*.*?\*/', '', line).strip().rstrip(',')
            m = re.match(r'^([A-Z0-9_]+)\s*(?:=\s*(\d+))?$', line)
            if not m or m.group(1).startswith('__'):
                continue
            val = int(m.group(2)) if m.group(2) else val + 1
            items.append((m.group(1), val))
        out.append(items)
    return out


def c_name(prefix, name):
    return (prefix + name).upper().replace('-', '_')


def spec_lists(spec):
    lists = []
    for d in spec['definitions']:
        if d['type'] == 'const':
            continue
        val, items = -1, []
        for e in d['entries']:
            name = e['name'] if isinstance(e, dict) else str(e)
            val = e.get('value', val + 1) if isinstance(e, dict) else val + 1
            items.append((c_name(d['name-prefix'], name), val))
        lists.append(items)
    for s in spec['attribute-sets']:
        val, items = 0, [(c_name(s['name-prefix'], 'unspec'), 0)]
        for a in s['attributes']:
            val = a.get('value', val + 1)
            items.append((c_name(s['name-prefix'], a['name']), val))
        lists.append(items)
    ops = spec['operations']
    val, items = 0, [(c_name(ops['name-prefix'], 'unspec'), 0)]
    for o in ops['list']:
        val = o.get('value', val + 1)
        items.append((c_name(ops['name-prefix'], o['name']), val))
    lists.append(items)
    return lists


def main():
    spec = yaml.safe_load(open(sys.argv[1]))
    header = open(sys.argv[2]).read()
    enums = [e for e in header_enums(header) if e]
    bad = 0
    for items in spec_lists(spec):
        match = [e for e in enums if e and e[0][0] == items[0][0]]
        if not match:
            print('spec list %s... has no enum in the header' % items[0][0])
            bad += 1
        elif match[0] != items:
            print('mismatch:\n  spec   %s\n  header %s' % (items, match[0]))
            bad += 1
    for d in spec['definitions']:
        if d['type'] != 'const':
            continue
        name = c_name(spec['name'] + '-', d['name'])
        if not re.search(r'^#define\s+%s\s+%d\s*$' % (name, d['value']), header, re.M):
            print('constant %s %d not in the header' % (name, d['value']))
            bad += 1
    groups = [g['name'] for g in spec['mcast-groups']['list']]
    if '"%s"' % groups[0] not in header:
        print('multicast group %s not in the header' % groups[0])
        bad += 1
    if '#define MGRE_GENL_NAME\t\t"%s"' % spec['name'] not in header:
        print('family name %s not in the header' % spec['name'])
        bad += 1
    sys.exit(1 if bad else 0)


main()
