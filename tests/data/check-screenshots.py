#!/usr/bin/env python3
# Every screenshot the metainfo names exists in data/screenshots/ as a PNG
# and has a caption; one of them is the default; the newest release is the
# project's version.
#
#   check-screenshots.py METAINFO SCREENSHOTS_DIR SCREENSHOTS_URL VERSION
import os
import sys
import xml.etree.ElementTree as ET

metainfo, shots_dir, base_url, version = sys.argv[1:5]
fails = []
root = ET.parse(metainfo).getroot()

screenshots = root.findall('./screenshots/screenshot')
if not screenshots:
    fails.append('the metainfo names no screenshot')
defaults = [s for s in screenshots if s.get('type') == 'default']
if len(defaults) != 1:
    fails.append(f'{len(defaults)} default screenshots, not 1')

for shot in screenshots:
    images = shot.findall('image')
    if not images:
        fails.append('a screenshot without an image')
    for image in images:
        url = (image.text or '').strip()
        if not url.startswith(base_url.rstrip('/') + '/'):
            fails.append(f'{url}: not under {base_url}')
            continue
        name = url[len(base_url.rstrip('/')) + 1:]
        path = os.path.join(shots_dir, name)
        if not os.path.isfile(path):
            fails.append(f'{url}: no {path}')
            continue
        with open(path, 'rb') as f:
            if f.read(8) != b'\x89PNG\r\n\x1a\n':
                fails.append(f'{path}: not a PNG')
    captions = [c for c in shot.findall('caption') if c.get('{http://www.w3.org/XML/1998/namespace}lang') is None]
    if len(captions) != 1 or not (captions[0].text or '').strip():
        fails.append(f'{ET.tostring(shot, encoding="unicode")[:80]}...: no caption')

releases = root.findall('./releases/release')
if not releases:
    fails.append('no release')
elif releases[0].get('version') != version:
    fails.append(f'newest release {releases[0].get("version")}, project version {version}')

for f in fails:
    print(f)
print(f'{len(screenshots)} screenshots checked' if not fails else f'{len(fails)} problems')
sys.exit(1 if fails else 0)
