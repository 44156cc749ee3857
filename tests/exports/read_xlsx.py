#!/usr/bin/python3
"""Reads an XLSX file with openpyxl (Debian's python3-openpyxl) and prints, as JSON, what the
export tests check: the first worksheet's cells with their type and style, merged ranges,
print setup, frozen panes, column widths and row heights, plus the raw workbook.xml and sheet1.xml parts.
Usage: read_xlsx.py FILE"""
import json
import sys
import zipfile

import openpyxl

path = sys.argv[1]
workbook = openpyxl.load_workbook(path)
sheet = workbook.worksheets[0]
rows = []
for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=sheet.max_column):
    rows.append([{
        "value": "" if cell.value is None else str(cell.value),
        "type": cell.data_type,
        "bold": bool(cell.font.b),
        "wrap": bool(cell.alignment.wrap_text),
        "border": cell.border.left.style is not None and cell.border.bottom.style is not None,
    } for cell in row])
with zipfile.ZipFile(path) as archive:
    parts = {name: archive.read(name).decode("utf-8")
             for name in ("xl/workbook.xml", "xl/worksheets/sheet1.xml")}
setup = sheet.page_setup
# ECMA-376 §18.3.1.63: fitToWidth and fitToHeight default to 1 when the attribute is absent.
fit_default = lambda value: 1 if value is None else int(value)
print(json.dumps({
    "sheet_names": workbook.sheetnames,
    "rows": rows,
    "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
    "print_title_rows": sheet.print_title_rows,
    "orientation": setup.orientation,
    "paper_size": None if setup.paperSize is None else int(setup.paperSize),
    "fit_to_page": bool(sheet.sheet_properties.pageSetUpPr and sheet.sheet_properties.pageSetUpPr.fitToPage),
    "fit_to_width": fit_default(setup.fitToWidth),
    "fit_to_height": fit_default(setup.fitToHeight),
    "freeze_panes": sheet.freeze_panes,
    "column_widths": {key: dim.width for key, dim in sheet.column_dimensions.items()},
    # Row heights in points by 1-based row number ("6": 40.5); rows without one are absent.
    "row_heights": {str(index): dim.height for index, dim in sheet.row_dimensions.items() if dim.height is not None},
    "footer": sheet.oddFooter.center.text,
    "created": workbook.properties.created.isoformat() if workbook.properties.created else None,
    "title": workbook.properties.title,
    "parts": parts,
}, ensure_ascii=False))
