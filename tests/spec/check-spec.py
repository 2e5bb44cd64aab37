#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Proves docs/nfhook.yaml and include/uapi/linux/nfhook.h agree.

Usage: check-spec.py YNL_DIR SCHEMA SPEC UAPI_INCLUDE_DIR

Loads the spec with the kernel's own ynl library (which validates it against
the genetlink schema), turns every command, attribute and enum value it
declares into a C static assertion against the header, and compiles that.
Prints one KTAP-like line per check and exits non-zero on any mismatch.
"""

import os
import subprocess
import sys
import tempfile


def c_name(*parts):
    return '_'.join(parts).upper().replace('-', '_')


def main():
    ynl_dir, schema, spec_path, include = sys.argv[1:5]
    sys.path.insert(0, ynl_dir)
    from lib.nlspec import SpecFamily

    spec = SpecFamily(spec_path, schema)
    checks = []  # (description, C expression)

    checks.append(('family name',
                   f'__builtin_strcmp(NFHOOK_GENL_NAME, "{spec.name}") == 0'))
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
                       f'{c_name(prefix + "max")} == {max(a.value for a in aset.attrs.values())}'))
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

    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (what, expr) in enumerate(checks, 1):
            src = os.path.join(tmp, 'c.c')
            with open(src, 'w') as f:
                f.write('#include <linux/nfhook.h>\n'
                        f'_Static_assert({expr}, "{what}");\n')
            res = subprocess.run(['gcc', '-fsyntax-only', '-I', include, src],
                                 capture_output=True, text=True)
            if res.returncode == 0:
                print(f'ok {i} spec: {what}')
            else:
                failed += 1
                print(f'not ok {i} spec: {what}: {expr}')
                print('# ' + res.stderr.strip().replace('\n', '\n# '))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
