#!/usr/bin/env python3
# The Flatpak manifest is valid JSON, names the app id and the command, and
# builds Kontor last with meson.
#
#   check-flatpak-manifest.py MANIFEST
import json
import sys

with open(sys.argv[1], encoding='utf-8') as f:
    try:
        m = json.load(f)
    except json.JSONDecodeError as e:
        print(f'{sys.argv[1]}: {e}')
        sys.exit(1)

fails = []
def expect(key, value):
    if m.get(key) != value:
        fails.append(f'{key} is {m.get(key)!r}, not {value!r}')

expect('app-id', 'org.kontor.Kontor')
expect('command', 'kontor')
expect('runtime', 'org.gnome.Platform')
expect('sdk', 'org.gnome.Sdk')

modules = m.get('modules') or []
names = [mod.get('name') if isinstance(mod, dict) else mod for mod in modules]
if not modules or names[-1] != 'kontor':
    fails.append(f'modules {names}: kontor is not the last')
for mod in modules:
    if not isinstance(mod, dict):
        continue
    if not mod.get('name') or not mod.get('buildsystem', 'autotools'):
        fails.append(f'module without a name: {mod}')
    if not mod.get('sources'):
        fails.append(f'{mod.get("name")}: no sources')
    for src in mod.get('sources', []):
        if src.get('type') == 'archive' and not src.get('sha256'):
            fails.append(f'{mod.get("name")}: archive without sha256')
        if src.get('type') == 'git' and not (src.get('tag') or src.get('commit') or src.get('branch')):
            fails.append(f'{mod.get("name")}: git source without tag, commit or branch')

for arg in ('--socket=wayland', '--socket=fallback-x11', '--share=ipc', '--share=network',
            '--device=dri', '--socket=pulseaudio', '--talk-name=org.freedesktop.secrets'):
    if arg not in m.get('finish-args', []):
        fails.append(f'finish-args lack {arg}')

for f in fails:
    print(f)
print(f'{len(modules)} modules checked' if not fails else f'{len(fails)} problems')
sys.exit(1 if fails else 0)
