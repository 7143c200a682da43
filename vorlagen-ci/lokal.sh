#!/usr/bin/env bash
# Führt die Befehle der CI-Vorlagen lokal aus, im Ordner des Portals:
#   bash vorlagen-ci/lokal.sh [ORDNER]
# QUARTIER=/pfad/zu/quartier wählt das Programm (Standard: quartier im PATH).
# Schreibt die Berichte nach ORDNER/.ci-bericht/ und baut nach ORDNER/public/.
set -u
QUARTIER="${QUARTIER:-quartier}"
ORDNER="${1:-.}"
BERICHT="$ORDNER/.ci-bericht"
mkdir -p "$BERICHT"

echo "== Merge Request: quartier check =="
"$QUARTIER" check --root "$ORDNER" --format gitlab > "$BERICHT/gl-code-quality-report.json"
status=$?
"$QUARTIER" check --root "$ORDNER" --format github > "$BERICHT/github-anmerkungen.txt" 2> /dev/null
"$QUARTIER" check --root "$ORDNER" --format markdown > "$BERICHT/kommentar.md" 2> /dev/null
echo "Berichte: $BERICHT/ (gl-code-quality-report.json, github-anmerkungen.txt, kommentar.md)"
if [ "$status" -ne 0 ]; then
  echo "Die Prüfung ist fehlgeschlagen (Exit-Code $status): der Merge Request würde rot."
  exit "$status"
fi

echo "== Hauptzweig: quartier build =="
"$QUARTIER" build --root "$ORDNER" ${QUARTIER_BASE_URL:+--base-url "$QUARTIER_BASE_URL"} || exit $?
echo "Fertig: $ORDNER/public/ würde veröffentlicht (GitLab/GitHub Pages oder rsync)."
