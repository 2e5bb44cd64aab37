#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Loads docs/nfhook.yaml with one kernel's ynl and checks it.

Usage: check-spec.py [--label NAME] [--uapi INCLUDE_DIR] KERNEL_TREE SPEC

KERNEL_TREE is an unpacked kernel tree, or the part of one that ynl needs
(tools/net/ynl and Documentation/netlink/*.yaml, as tests/lib/ynl.sh's
ynl_tree extracts it).  With that kernel's own ynl library:

  - the spec, installed as an in-tree spec (Documentation/netlink/specs/ of
    a scratch copy of the tree's layout), loads with ynl's default schema,
    Documentation/netlink/PROTOCOL.yaml, exactly as cli.py --spec loads it
    when given neither --schema nor --no-schema;
  - it loads without a schema too (cli.py --no-schema);
  - every operation needs CAP_NET_ADMIN over the network namespace's user
    namespace (uns-admin-perm), as the module requires for every message.

With --uapi, every command, attribute and enum value the spec declares is
also turned into a C static assertion against include/uapi/linux/nfhook.h
and compiled.  Prints one KTAP-like line per check and exits non-zero on any
failure.
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import traceback


def c_name(*parts):
    return '_'.join(parts).upper().replace('-', '_')


class Checks:
    def __init__(self, label):
        self.label = label
        self.n = 0
        self.failed = 0

    def ok(self, what):
        self.n += 1
        print(f'ok {self.n} spec {self.label}: {what}')

    def not_ok(self, what, why):
        self.n += 1
        self.failed += 1
        print(f'not ok {self.n} spec {self.label}: {what}')
        print('# ' + why.strip().replace('\n', '\n# '))


def ynl_library(tree):
    """The directory holding ynl's lib/ package, in either layout."""
    for sub in ('tools/net/ynl/pyynl', 'tools/net/ynl'):
        if os.path.isfile(os.path.join(tree, sub, 'lib', 'nlspec.py')):
            return os.path.join(tree, sub)
    return None


def load(checks, what, spec_family, spec_path, schema):
    """SpecFamily(spec_path, schema), one check; the family or None."""
    try:
        family = spec_family(spec_path, schema)
    except Exception as e:  # pylint: disable=broad-except
        lines = ''.join(traceback.format_exception_only(e)).strip().split('\n')
        checks.not_ok(what, '\n'.join(lines[:12]))
        return None
    checks.ok(what)
    return family


def uapi_checks(spec, include):
    checks = [('family name',
               f'__builtin_strcmp(NFHOOK_GENL_NAME, "{spec.name}") == 0')]
    op_prefix = spec.yaml['operations'].get('name-prefix', spec.name + '-cmd-')
    for op in spec.ops.values():
        checks.append((f'command {op.name}',
                       f'{c_name(op_prefix + op.name)} == {op.value}'))
    for aset in spec.attr_sets.values():
        prefix = aset.yaml.get('name-prefix', f'{spec.name}-a-{aset.name}-')
        for attr in aset.attrs.values():
            checks.append((f'attribute {aset.name}.{attr.name}',
                           f'{c_name(prefix + attr.name)} == {attr.value}'))
        checks.append((f'attribute set {aset.name} max',
                       f'{c_name(prefix + "max")} == '
                       f'{max(a.value for a in aset.attrs.values())}'))
    for const in spec.consts.values():
        if const.type != 'enum':
            continue
        for entry in const.entries.values():
            checks.append((f'enum {const.name} {entry.name}',
                           f'{c_name(spec.name, const.name, entry.name)} == {entry.value}'))
    for group in spec.mcast_groups.values():
        checks.append((f'multicast group {group.name}',
                       f'__builtin_strcmp(NFHOOK_MCGRP_EVENTS, "{group.name}") == 0'))
    comment = spec.attr_sets['rule'].attrs['comment'].yaml['checks']['max-len']
    checks.append(('comment length', f'NFHOOK_COMMENT_SIZE - 1 == {comment}'))
    return checks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--label', help='name of the kernel in the results')
    parser.add_argument('--uapi', help='include directory holding linux/nfhook.h')
    parser.add_argument('tree')
    parser.add_argument('spec')
    args = parser.parse_args()

    checks = Checks(args.label or os.path.basename(os.path.normpath(args.tree)))
    lib = ynl_library(args.tree)
    schemas = sorted(glob.glob(os.path.join(args.tree, 'Documentation/netlink/*.yaml')))
    if not lib or not schemas:
        checks.not_ok('the kernel tree has ynl and its schemas',
                      f'no tools/net/ynl[/pyynl]/lib/nlspec.py or '
                      f'Documentation/netlink/*.yaml in {args.tree}')
        return 1
    sys.path.insert(0, lib)
    from lib.nlspec import SpecFamily  # pylint: disable=import-outside-toplevel

    with tempfile.TemporaryDirectory() as tmp:
        # The tree's layout: the schemas in Documentation/netlink, the spec
        # in its specs/ directory, where ynl looks for the default schema.
        netlink = os.path.join(tmp, 'Documentation', 'netlink')
        os.makedirs(os.path.join(netlink, 'specs'))
        for schema in schemas:
            os.symlink(os.path.abspath(schema),
                       os.path.join(netlink, os.path.basename(schema)))
        in_tree = os.path.join(netlink, 'specs', os.path.basename(args.spec))
        shutil.copyfile(args.spec, in_tree)

        spec = load(checks, "loads with ynl's default schema (as cli.py --spec)",
                    SpecFamily, in_tree, None)
        if spec:
            proto = spec.yaml.get('protocol', 'genetlink')
            print(f'# default schema: Documentation/netlink/{proto}.yaml')
        unchecked = load(checks, 'loads without a schema (as cli.py --no-schema)',
                         SpecFamily, args.spec, '')

    family = spec or unchecked
    if family:
        lacking = [op.name for op in family.ops.values()
                   if 'uns-admin-perm' not in op.yaml.get('flags', [])]
        if lacking:
            checks.not_ok('every operation needs CAP_NET_ADMIN (uns-admin-perm)',
                          'without uns-admin-perm: ' + ', '.join(lacking))
        else:
            checks.ok('every operation needs CAP_NET_ADMIN (uns-admin-perm)')

    if args.uapi and family:
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, 'c.c')
            for what, expr in uapi_checks(family, args.uapi):
                with open(src, 'w', encoding='utf-8') as f:
                    f.write('#include <linux/nfhook.h>\n'
                            f'_Static_assert({expr}, "{what}");\n')
                res = subprocess.run(['gcc', '-fsyntax-only', '-I', args.uapi, src],
                                     capture_output=True, text=True, check=False)
                if res.returncode == 0:
                    checks.ok(what)
                else:
                    checks.not_ok(what, f'{expr}\n{res.stderr}')
    return 1 if checks.failed else 0


if __name__ == '__main__':
    sys.exit(main())
