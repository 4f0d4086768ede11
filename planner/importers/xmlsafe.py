"""Safe reading of untrusted XML files for the importers (aSc Timetables, FET, ...).

Every failure is one `InputError` naming the file (and the line where the parser knows it):
- the size is checked with `stat()` before anything is read; an empty file is refused;
- the text encoding comes from a byte-order mark, else from the XML declaration, else UTF-8; bytes that do not
  decode are refused (an undeclared cp1251 file is an error, a declared one decodes correctly);
- parsing goes through `defusedxml`: entity declarations (XML bombs) and external references are refused, never
  expanded; a document type declaration can be refused altogether (`forbid_dtd=True`).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError
from xml.parsers import expat

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from planner.errors import InputError, Location

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 50 * MiB

_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_TRUNCATED = {expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
              expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
              expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION]}


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes; refused when missing, not a file, empty or larger than max_bytes (checked before reading)."""
    where = Location(file=str(path))
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(f"cannot open the file: {exc.strerror or exc}", f"не удаётся открыть файл: "
                         f"{exc.strerror or exc}", where) from None
    if not path.is_file():
        raise InputError("not a file", "это не файл", where)
    if info.st_size > max_bytes:
        raise InputError(f"the file has {info.st_size} bytes, more than the limit of {max_bytes} bytes "
                         f"({max_bytes / MiB:.0f} MiB)", f"в файле {info.st_size} байт — больше допустимых {max_bytes} "
                         f"байт ({max_bytes / MiB:.0f} МиБ)", where)
    if info.st_size == 0:
        raise InputError("the file is empty", "файл пуст", where)
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", f"не удаётся прочитать файл: "
                         f"{exc.strerror or exc}", where) from None
    if len(data) > max_bytes:  # the file grew after stat()
        raise InputError(f"the file is larger than the limit of {max_bytes} bytes",
                         f"файл больше допустимых {max_bytes} байт", where)
    return data


def decode_xml(data: bytes, file: str = "") -> str:
    """XML bytes as text: BOM first, then the declared encoding, else UTF-8 — strictly, never guessing."""
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            encoding = bom_encoding
            body, source_en, source_ru = data[len(bom):], "byte-order mark", "метка порядка байтов"
            break
    else:
        declared = _DECLARED.match(data[:300])
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
        body = data
        source_en, source_ru = ("XML declaration", "объявление XML") if declared else ("default", "по умолчанию")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown text encoding '{encoding}' in the XML declaration",
                         f"неизвестная кодировка текста «{encoding}» в объявлении XML", Location(file=file)) from None
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        line = body[:exc.start].count(b"\n") + 1
        hint_en = "" if source_en != "default" else "; the file declares no encoding, so it must be UTF-8"
        hint_ru = "" if source_en != "default" else "; кодировка в файле не объявлена, поэтому ожидается UTF-8"
        raise InputError(f"the text is not valid {encoding} ({source_en}) at byte {exc.start}{hint_en}",
                         f"текст не соответствует кодировке {encoding} ({source_ru}) на байте {exc.start}{hint_ru}",
                         Location(file=file, row=line)) from None


def parse_xml(text: str, file: str = "", *, forbid_dtd: bool = False) -> Element:
    """The root element; entity declarations and external references are refused, never expanded.

    Errors carry the line in `Location.row` (for XML files the row is the line)."""
    try:
        root: Element = safe_et.fromstring(text, forbid_dtd=forbid_dtd, forbid_entities=True, forbid_external=True)
        return root
    except ParseError as exc:
        line, column = exc.position if getattr(exc, "position", None) else (None, 0)
        reason = str(exc).split(":")[0]
        end = text.rstrip()
        at_end = line is not None and line >= end.count("\n") + 1
        if getattr(exc, "code", None) in _TRUNCATED and at_end:
            raise InputError(f"the XML ends too early (truncated file?): {reason}",
                             f"XML обрывается (файл обрезан?): {reason}", Location(file=file, row=line)) from None
        raise InputError(f"broken XML: {reason} (line {line}, column {column})",
                         f"повреждённый XML: {reason} (строка {line}, позиция {column})",
                         Location(file=file, row=line)) from None
    except EntitiesForbidden as exc:
        raise InputError(f"the XML declares an entity ('{exc.name}'); entity declarations are refused (XML bomb "
                         f"protection)", f"в XML объявлена сущность («{exc.name}»); объявления сущностей запрещены "
                         f"(защита от XML-бомб)", Location(file=file)) from None
    except ExternalReferenceForbidden as exc:
        raise InputError(f"the XML refers to an external resource ('{exc.sysid}'); refused",
                         f"XML ссылается на внешний ресурс («{exc.sysid}»); запрещено", Location(file=file)) from None
    except DTDForbidden:
        raise InputError("the XML has a document type declaration (<!DOCTYPE>), where entities (XML bombs) could be "
                         "declared; this format has none, so the file is refused",
                         "в XML есть объявление типа документа (<!DOCTYPE>), где могут объявляться сущности "
                         "(XML-бомбы); в этом формате его не бывает, файл отклонён", Location(file=file)) from None
    except DefusedXmlException as exc:
        raise InputError(f"unsafe XML refused: {exc}", f"небезопасный XML отклонён: {exc}",
                         Location(file=file)) from None


def load_xml(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, *, forbid_dtd: bool = False) -> Element:
    """read_bytes → decode_xml → parse_xml: the root element of a trusted-size, decoded, defused XML file."""
    file = str(path)
    return parse_xml(decode_xml(read_bytes(path, max_bytes), file), file, forbid_dtd=forbid_dtd)


__all__ = ["DEFAULT_MAX_BYTES", "decode_xml", "load_xml", "parse_xml", "read_bytes"]
