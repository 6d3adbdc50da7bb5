#!/bin/sh
# Regenerates wqy-microhei-gbk.ttf, the CJK font embedded in PDF exports.
#
# Source: WenQuanYi Micro Hei (文泉驿微米黑) from the Debian package
# fonts-wqy-microhei, licensed Apache-2.0 or GPL-3+ with the font exception
# (LICENSE and COPYRIGHT beside this script). fpdf needs a plain TrueType
# file, so face 0 of the package's .ttc is extracted and subset to the GBK
# repertoire (about 22,000 characters: all GB2312 level-1/2 hanzi and the CJK
# Unified Ideographs a Chinese unit name may use) plus ASCII, Latin-1,
# general and CJK punctuation and the check marks the report form draws.
# Hinting, vertical metrics and OpenType layout tables are dropped: fpdf
# uses none of them. SOURCE_DATE_EPOCH pins head.modified so a rebuild from
# the same package version gives the same bytes.
#
# Usage (as root, on Debian 12): sh internal/export/fonts/build.sh
set -eu
cd "$(dirname "$0")"
# Debian's python3 (where python3-fonttools lives), not a pyenv shim.
PY=/usr/bin/python3
if [ ! -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || ! "$PY" -c 'import fontTools' 2>/dev/null; then
	apt-get install -y fonts-wqy-microhei python3-fonttools
fi
export SOURCE_DATE_EPOCH=1230768000 # 2009-01-01, the upstream release year
CHARS=$(mktemp)
trap 'rm -f "$CHARS"' EXIT
"$PY" - "$CHARS" <<'PYEOF'
import sys
chars = set()
for hi in range(0x81, 0xFF):
    for lo in range(0x40, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gbk"))
        except UnicodeDecodeError:
            pass
extra = [range(0x20, 0x7F), range(0xA0, 0x100), range(0x2000, 0x2070),
         range(0x3000, 0x3040), range(0xFF00, 0xFFF0), [0x2713, 0x2714, 0x25A1]]
for r in extra:
    chars.update(chr(c) for c in r)
open(sys.argv[1], "w", encoding="utf-8").write("".join(sorted(chars)))
PYEOF
"$PY" -m fontTools.subset /usr/share/fonts/truetype/wqy/wqy-microhei.ttc \
	--font-number=0 --text-file="$CHARS" --output-file=wqy-microhei-gbk.ttf \
	--layout-features='' --no-hinting --drop-tables+=vhea,vmtx,GSUB,GPOS,GDEF,FFTM \
	--name-IDs='*' --name-languages='*' 2>&1 | grep -v 'FFTM NOT subset' || true
# Apache-2.0 §4(b): say in the font itself that this file was changed.
"$PY" - <<'PYEOF'
from fontTools.ttLib import TTFont
f = TTFont("wqy-microhei-gbk.ttf")
note = ("Subset of WenQuanYi Micro Hei 0.2.0-beta (Debian fonts-wqy-microhei) to the GBK "
        "repertoire by Fenghuo internal/export/fonts/build.sh; hinting and layout tables removed.")
f["name"].setName(note, 10, 3, 1, 0x409)
f.save("wqy-microhei-gbk.ttf")
PYEOF
cp /usr/share/common-licenses/Apache-2.0 LICENSE
cp /usr/share/doc/fonts-wqy-microhei/copyright COPYRIGHT
dpkg-query -W -f='${Package} ${Version}\n' fonts-wqy-microhei python3-fonttools > SOURCE
ls -l wqy-microhei-gbk.ttf
