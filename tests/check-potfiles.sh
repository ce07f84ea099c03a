#!/usr/bin/env bash
# po/POTFILES.in must list every file with translatable strings, and only files that exist.
set -euo pipefail
top=$1
cd "$top"
status=0
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')
for f in $listed; do
  [ -f "$f" ] || { echo "po/POTFILES.in lists $f, which does not exist"; status=1; }
done
while IFS= read -r f; do
  if ! grep -qxF "$f" <<<"$listed"; then
    echo "$f has translatable strings but is missing from po/POTFILES.in"
    status=1
  fi
done < <(grep -rlE '(^|[^A-Za-z0-9_])(N?C?_)\(|translatable="yes"' src \
           --include='*.c' --include='*.ui' | sort)
for f in data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml.in; do
  grep -qxF "$f" <<<"$listed" || { echo "$f is missing from po/POTFILES.in"; status=1; }
done
[ $status -eq 0 ] && echo "po/POTFILES.in is complete"
exit $status
