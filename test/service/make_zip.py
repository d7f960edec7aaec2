"""Writes test zips with Python's zipfile (an implementation independent of ours).

usage: make_zip.py OUT.zip SPEC.json
SPEC: list of {"name": str, "file": path} | {"name", "zeros": n (deflated)} | {"name", "symlink": target} | {"name", "text": str}
"""
import json, sys, zipfile

out, spec = sys.argv[1], json.load(open(sys.argv[2]))
with zipfile.ZipFile(out, 'w') as z:
    for e in spec:
        if 'file' in e:
            # ZipInfo keeps the name as given (z.write would strip a leading "/").
            z.writestr(zipfile.ZipInfo(e['name']), open(e['file'], 'rb').read())
        elif 'zeros' in e:
            info = zipfile.ZipInfo(e['name'])
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, 'w', force_zip64=e['zeros'] > 2**31) as f:
                chunk = b'\0' * (1 << 20)
                left = e['zeros']
                while left > 0:
                    f.write(chunk[:min(left, len(chunk))])
                    left -= len(chunk)
        elif 'symlink' in e:
            info = zipfile.ZipInfo(e['name'])
            info.create_system = 3
            info.external_attr = (0o120777 << 16)
            z.writestr(info, e['symlink'])
        else:
            z.writestr(e['name'], e['text'])
