#!/usr/bin/env bash
# Every translatable string of the sources has a French translation, none fuzzy.
set -euo pipefail
top=$1
scratch=$(mktemp -d "$2/translations.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cd "$top"
# The same extraction as meson's gettext "glib" preset.
xgettext --package-name=epsimo-desktop --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  -D "$top" -f po/POTFILES.in -o "$scratch/epsimo-desktop.pot"
status=0
for lang in $(cat po/LINGUAS); do
  if ! msgcmp "po/$lang.po" "$scratch/epsimo-desktop.pot"; then
    echo "po/$lang.po lacks translations of the strings above"
    status=1
  fi
  stats=$(msgfmt --check --statistics -o /dev/null "po/$lang.po" 2>&1) || status=1
  echo "po/$lang.po: $stats"
  case "$stats" in *untranslated*|*fuzzy*) status=1 ;; esac
done
exit $status
