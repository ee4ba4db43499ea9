"""Byte-stable XLSX files: the same workbook gives the same bytes on every build (openpyxl
stamps the save time into ``docProps/core.xml`` and every zip entry; both are fixed here)."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def workbook_bytes(wb, creator: str = "Netralitas") -> bytes:
    """``wb`` (an openpyxl Workbook) saved with fixed creation, modification and zip times."""
    fixed = dt.datetime(*FIXED_TIME)
    wb.properties.creator = creator
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIME).encode()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>",
                              data)
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    return out.getvalue()
