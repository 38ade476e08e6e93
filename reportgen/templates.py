"""Templates: the shipped ones by name, a user's by directory, each with its manifest.

A template is a directory holding its Jinja2 files (the entry is
``document.xml.j2``) and a manifest, ``template.toml``::

    description = "简报: red 报头, 报尾, GB/T 9704-2012 page"   # one line, for `reportgen templates`

    [page]                     # → doctree.PageSetup; every key is optional
    style = "jianbao"          # the renderers' style set: "briefing" or "jianbao"
    paper = "a4"               # "a4" or "letter"
    margins_mm = [37, 26, 35, 28]   # top, right, bottom, left
    grid = [22, 28]            # lines per page, characters per line
    page_numbers = "outer"     # "footer" (centred running footer) or "outer" (— 1 —, odd right, even left)

    [fonts]                    # optional: DOCX face names per slot, overriding the style set's
    body = "仿宋_GB2312"        # slots: title, body, heading1, heading2, latin, page_number

A template may carry its own catalog for the strings it adds, beside it:
``locales/<lang>/LC_MESSAGES/template.po``; its entries come before reportgen's.

The directory is the template's whole world: the loader refuses any file whose
real path lies outside it (``..``, absolute names, symbolic links out), and
the Jinja2 sandbox refuses Python internals to a user's template.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen import doctree as dt
from reportgen.errors import TemplateError, UsageError
from reportgen.resources import resource_dir

if TYPE_CHECKING:
    from babel.support import Translations
    from jinja2 import BaseLoader

MANIFEST = "template.toml"
ENTRY = "document.xml.j2"
CATALOG_DOMAIN = "template"
STYLE_SETS = ("briefing", "jianbao")
FONT_SLOTS = ("title", "body", "heading1", "heading2", "latin", "page_number")
_PAGE_KEYS = {"style", "paper", "margins_mm", "grid", "page_numbers"}
_TOP_KEYS = {"description", "page", "fonts"}


@dataclass(frozen=True, slots=True)
class Template:
    """A template directory and what its manifest says."""

    name: str  # the shipped name, or the directory as the user gave it
    directory: Path
    description: str
    page: dt.PageSetup
    fonts: tuple[tuple[str, str], ...] = ()
    shipped: bool = False
    entry: str = ENTRY

    def file(self, name: str) -> str:
        """How messages name one of the template's files: ``jianbao/document.xml.j2`` or a path."""
        return f"{self.name}/{name}" if self.shipped else str(self.directory / name)

    @property
    def catalog_dir(self) -> Path:
        return self.directory / "locales"


def shipped_root() -> Path:
    return resource_dir("templates")


def shipped() -> list[Template]:
    """Every shipped template, by name."""
    root = shipped_root()
    return [
        load(entry.name)
        for entry in sorted(root.iterdir())
        if entry.is_dir() and (entry / ENTRY).is_file()
    ]


def is_directory_spec(spec: str) -> bool:
    """Whether ``--template`` names a directory (has a path separator or starts with a dot)."""
    return os.sep in spec or "/" in spec or spec.startswith(".")


def load(spec: str) -> Template:
    """The template named ``spec``: a shipped name (``jianbao``) or a directory (``./my-house-style``)."""
    return _load(spec, _key(spec))


def _key(spec: str) -> str:
    """The cache key: a directory by its real path (the same template under two spellings once)."""
    return str(Path(spec).resolve()) if is_directory_spec(spec) else spec


@cache
def _load(spec: str, key: str) -> Template:
    if is_directory_spec(spec):
        directory = Path(spec)
        if not directory.is_dir():
            raise UsageError(f"template directory {spec} does not exist")
        if not (directory / ENTRY).is_file():
            raise UsageError(f"template directory {spec} has no {ENTRY}")
        return _from_manifest(spec, directory, shipped=False)
    root = shipped_root()
    directory = root / spec
    if not spec or not (directory / ENTRY).is_file():
        names = ", ".join(t.name for t in shipped())
        raise UsageError(f"unknown template {spec!r}; shipped: {names}; or give a directory (./DIR)")
    return _from_manifest(spec, directory, shipped=True)


def _from_manifest(name: str, directory: Path, *, shipped: bool) -> Template:
    path = directory / MANIFEST
    where = f"{name}/{MANIFEST}" if shipped else str(path)
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise TemplateError(f"template {where}: {exc}") from exc
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise TemplateError(f"template {where}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_TOP_KEYS))}")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise TemplateError(f"template {where}: description must be a string")
    fonts = data.get("fonts", {})
    if not isinstance(fonts, dict) or not all(isinstance(v, str) and v for v in fonts.values()):
        raise TemplateError(f"template {where}: [fonts] maps slots to face names (strings)")
    bad = set(fonts) - set(FONT_SLOTS)
    if bad:
        raise TemplateError(f"template {where}: unknown font slot(s) {', '.join(sorted(bad))}; known: {', '.join(FONT_SLOTS)}")
    page = dataclasses.replace(_page_setup(data.get("page", {}), where), fonts=tuple(sorted(fonts.items())))
    return Template(
        name=name,
        directory=directory,
        description=" ".join(description.split()),
        page=page,
        fonts=tuple(sorted(fonts.items())),
        shipped=shipped,
    )


def _page_setup(table: object, where: str) -> dt.PageSetup:
    def fail(why: str) -> TemplateError:
        return TemplateError(f"template {where}: [page] {why}")

    if not isinstance(table, dict):
        raise fail("must be a table")
    unknown = set(table) - _PAGE_KEYS
    if unknown:
        raise fail(f"unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_PAGE_KEYS))}")
    fields: dict[str, Any] = {}
    style = table.get("style", "briefing")
    if style not in STYLE_SETS:
        raise fail(f"style {style!r}: known style sets are {', '.join(STYLE_SETS)}")
    fields["style"] = style
    paper = table.get("paper", "a4")
    if paper not in ("a4", "letter"):
        raise fail(f"paper {paper!r}: a4 or letter")
    fields["paper"] = paper
    if "margins_mm" in table:
        margins = table["margins_mm"]
        if (
            not isinstance(margins, list)
            or len(margins) != 4
            or not all(isinstance(m, (int, float)) and not isinstance(m, bool) and 0 <= m <= 100 for m in margins)
        ):
            raise fail("margins_mm: four numbers from 0 to 100 (top, right, bottom, left)")
        fields["margins_mm"] = tuple(float(m) for m in margins)
    if "grid" in table:
        grid = table["grid"]
        if (
            not isinstance(grid, list)
            or len(grid) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 200 for n in grid)
        ):
            raise fail("grid: [lines per page, characters per line], whole numbers")
        fields["grid"] = (grid[0], grid[1])
    numbers = table.get("page_numbers", "footer")
    if numbers not in ("footer", "outer"):
        raise fail(f"page_numbers {numbers!r}: footer or outer")
    fields["page_numbers"] = numbers
    return dt.PageSetup(**fields)


# ------------------------------------------------------------------ the loader


def loader(template: Template) -> BaseLoader:
    """A Jinja2 loader confined to the template's directory."""
    from jinja2 import FileSystemLoader
    from jinja2.exceptions import TemplateNotFound

    root = template.directory.resolve()

    class ConfinedLoader(FileSystemLoader):
        def get_source(self, environment: Any, name: str) -> Any:
            if name.startswith("/") or "\\" in name or ":" in name:
                raise TemplateNotFound(f"{name} (a template reads only files inside its own directory)")
            source, filename, uptodate = super().get_source(environment, name)
            if not Path(filename).resolve().is_relative_to(root):
                raise TemplateNotFound(f"{name} (a template reads only files inside its own directory)")
            display = template.file(name)
            return source, display, uptodate

    return ConfinedLoader(str(root), followlinks=False)


# ------------------------------------------------------------------ catalogs


def translations(template: Template, base: Translations, catalog: str | None) -> Translations:
    """The template's own catalog for ``catalog`` (a language tag) in front of reportgen's, if it has one."""
    if catalog is None:
        return base
    path = template.catalog_dir / catalog / "LC_MESSAGES" / f"{CATALOG_DOMAIN}.po"
    if not path.is_file():
        return base
    own = _compiled(str(path), catalog)
    merged = _copy(own)
    merged.add_fallback(base)
    return merged


@cache
def _compiled(path: str, tag: str) -> Translations:
    from reportgen.errors import ResourceError
    from reportgen.l10n import compile_catalog

    try:
        return compile_catalog(Path(path), tag, CATALOG_DOMAIN)
    except ResourceError as exc:
        raise TemplateError(f"template catalog {exc}") from exc


def _copy(translations: Translations) -> Translations:
    """A fresh Translations with the same messages (fallbacks are added to copies, not the cached one)."""
    from babel.support import Translations

    clone = Translations(domain=CATALOG_DOMAIN)
    clone._catalog = dict(translations._catalog)  # type: ignore[attr-defined]
    clone.plural = translations.plural  # type: ignore[attr-defined]
    clone._info = dict(getattr(translations, "_info", {}))  # type: ignore[attr-defined]
    return clone


@dataclass(frozen=True, slots=True)
class Listing:
    name: str
    description: str
    geometry: str = field(default="")


def listing() -> list[Listing]:
    """One line per shipped template for ``reportgen templates``."""
    rows = []
    for template in shipped():
        page = template.page
        parts = [page.paper.upper()]
        if page.margins_mm:
            top, right, bottom, left = page.margins_mm
            parts.append(f"margins {top:g}/{right:g}/{bottom:g}/{left:g} mm")
        if page.grid:
            parts.append(f"{page.grid[0]}×{page.grid[1]} grid")
        rows.append(Listing(template.name, template.description, ", ".join(parts)))
    return rows


# ------------------------------------------------------------------ the sandbox

# What a template may use of the Localizer: formatting, never the catalogs or Babel objects behind it.
_LOCALIZER_API = frozenset(
    {"lang", "language", "document_tag", "date", "date_range", "list", "country", "number",
     "percent", "quantity", "language_name", "currency_unit"}
)


_SAFE_ATTRIBUTES: dict[tuple[type, str], bool] = {}  # (type, attribute) -> whether a template may read it
_SANDBOX_SHIPPED = False  # tests set it: the shipped templates in the sandbox, as a user's copy of them runs


def environment(template: Template, lang: str) -> Any:
    """A Jinja2 environment for one template and language (StrictUndefined, autoescape, i18n).

    A user's template runs in the sandbox. The shipped ones are reportgen's own
    code and run without it (~12 % of composing a briefing); a test renders them
    in the sandbox too, so a user's copy of one behaves the same.
    """
    from jinja2 import Environment, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from reportgen.l10n import Localizer, catalog_tag, localizer

    class TemplateSandbox(SandboxedEnvironment):
        """Jinja2's sandbox, plus: of the localizer only its formatting methods are reachable."""

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            # Both rules, ours and Jinja2's, look at the object's type and the name only, so the answer
            # is kept per (type, name): a template asks it at every attribute it reads.
            key = (type(obj), attr)
            safe = _SAFE_ATTRIBUTES.get(key)
            if safe is None:
                safe = (
                    not isinstance(obj, partial)  # a helper (see unbound): its function and object stay hidden
                    and not (isinstance(obj, Localizer) and attr not in _LOCALIZER_API)
                    and bool(super().is_safe_attribute(obj, attr, value))
                )
                if len(_SAFE_ATTRIBUTES) < 4_096:
                    _SAFE_ATTRIBUTES[key] = safe
            return safe

    sandboxed = not template.shipped or _SANDBOX_SHIPPED
    env = (TemplateSandbox if sandboxed else Environment)(
        loader=loader(template),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=False,
        auto_reload=False,  # a process renders with the files it started with: no stat per document
        bytecode_cache=_bytecode_cache(sandboxed),
    )
    l10n = localizer(lang)
    messages = translations(template, l10n.translations, catalog_tag(lang))
    # Jinja2's newstyle gettext (trans blocks compile for it), its callables then replaced by ones filling faster
    env.install_gettext_callables(  # type: ignore[attr-defined]
        messages.ugettext, messages.ungettext, newstyle=True, pgettext=messages.upgettext
    )
    env.globals.update(_newstyle_gettext(messages))
    env.context_class = _context_class()
    env.template_class = _template_class()
    return env


def _newstyle_gettext(messages: Any) -> dict[str, Callable[..., Any]]:
    """Jinja2's newstyle gettext, ngettext and pgettext (``jinja2.ext._make_new_*``), filling a message faster.

    Jinja2 fills a translated message as ``Markup(message) % variables``: markupsafe
    wraps the mapping and then each value in a helper that escapes it when it is
    formatted, ~5 µs a message. A message whose only placeholders are ``%(name)s``
    (and ``%%``) is filled with the values escaped beforehand instead: the same text.
    Any other message, or autoescaping off, is filled as Jinja2 fills it.
    """
    from jinja2 import pass_context
    from markupsafe import Markup, escape

    ugettext, ungettext, upgettext = messages.ugettext, messages.ungettext, messages.upgettext
    markup_of_str = partial(str.__new__, Markup)  # Markup(a str), without Markup.__new__'s Python frame

    def fill(context: Any, message: str, variables: dict[str, Any]) -> Any:
        if not context.eval_ctx.autoescape:
            return message % variables
        if not _named_strings_only(message):
            return Markup(message) % variables
        escaped = {name: value if type(value) is Markup else escape(value) for name, value in variables.items()}
        return markup_of_str(message % escaped)

    @pass_context
    def gettext(__context: Any, __string: str, **variables: Any) -> Any:
        return fill(__context, ugettext(__string), variables)

    @pass_context
    def ngettext(__context: Any, __singular: str, __plural: str, __num: int, **variables: Any) -> Any:
        variables.setdefault("num", __num)
        return fill(__context, ungettext(__singular, __plural, __num), variables)

    @pass_context
    def pgettext(__context: Any, __string_ctx: str, __string: str, **variables: Any) -> Any:
        variables.setdefault("context", __string_ctx)
        return fill(__context, upgettext(__string_ctx, __string), variables)

    return {"gettext": gettext, "ngettext": ngettext, "pgettext": pgettext}


_NAMED_STRINGS = re.compile(r"(?:[^%]|%%|%\([^()]*\)s)*")


@lru_cache(maxsize=1024)
def _named_strings_only(message: str) -> bool:
    """Whether a message's placeholders are all ``%(name)s`` (so filling it with escaped strings is Markup's ``%``)."""
    return _NAMED_STRINGS.fullmatch(message) is not None


@cache
def _context_class() -> type:
    """Jinja2's Context, calling a helper, a macro or a function that wants the context without asking how.

    A template's every call goes through ``Context.call``, which first asks the
    callable's ``__call__`` and then the callable which context it wants passed
    (``jinja_pass_arg``); asking a bound method costs ~1 µs. A plain function or
    a partial (see unbound) wants what its ``jinja_pass_arg`` says, and its
    ``__call__`` says nothing; a macro wants the evaluation context (its
    ``__call__`` is Jinja2's, which says so). Asked here once, not three times:
    the helpers, and gettext's three calls per message, are most of a template's
    calls. Everything else takes Jinja2's path. In the sandbox the callable has
    been checked before this runs.
    """
    from types import FunctionType

    from jinja2.runtime import Context, Macro
    from jinja2.utils import pass_context, pass_eval_context

    wants_eval_context = pass_eval_context(lambda: None).jinja_pass_arg
    wants_context = pass_context(lambda: None).jinja_pass_arg
    if getattr(Macro.__call__, "jinja_pass_arg", None) is not wants_eval_context:
        return Context  # a Jinja2 whose macros want something else: its own way

    class DirectCallContext(Context):
        def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja2's signature)
            kind = type(__obj)
            if kind is Macro:
                args = (__self.eval_ctx, *args)
            elif kind is partial or kind is FunctionType:
                wants = getattr(__obj, "jinja_pass_arg", None)
                if wants is wants_context:  # as Jinja2 passes it: with the loop's and block's variables
                    if kwargs.get("_loop_vars"):
                        __self = __self.derived(kwargs["_loop_vars"])
                    if kwargs.get("_block_vars"):
                        __self = __self.derived(kwargs["_block_vars"])
                    args = (__self, *args)
                elif wants is not None:
                    return Context.call(__self, __obj, *args, **kwargs)
            else:
                return Context.call(__self, __obj, *args, **kwargs)
            if kwargs:  # what Jinja2 adds inside loops and blocks, for callables that take the context
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:  # as Jinja2 answers it
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )

    return DirectCallContext


@cache
def _template_class() -> type:
    """Jinja2's Template, whose output passes markup as it is rather than wrapping it again.

    Compiled code escapes every ``{{ … }}`` with markupsafe's ``escape``, which makes
    a new Markup of a value that is one already (a helper's span, a macro's output,
    a translated message: most of a briefing's outputs), three Python calls each.
    A value of type Markup is passed as it is (markupsafe's escape makes an equal
    string of it, from its ``__html__``, which is itself); anything else, a Markup
    subclass too, goes to markupsafe's escape.
    """
    from jinja2 import Template
    from markupsafe import Markup, escape

    def escape_output(value: Any) -> Markup:
        if type(value) is Markup:
            return value
        return escape(value)

    class OutputTemplate(Template):
        @classmethod
        def _from_namespace(cls, environment: Any, namespace: Any, globals: Any) -> Any:  # noqa: A002 (Jinja2's)
            if namespace.get("escape") is escape:  # the compiled code's escape (another Jinja2: left alone)
                namespace["escape"] = escape_output
            return super()._from_namespace(environment, namespace, globals)

    return OutputTemplate


def unbound(method: Callable[..., Any]) -> Callable[..., Any]:
    """A bound method as a ``functools.partial`` of its function: the same call, cheaper for Jinja2 to make.

    At every call from a template Jinja2 looks on the callable for attributes it
    rarely has (``jinja_pass_arg``, the sandbox's ``unsafe_callable`` and
    ``alters_data``); on a bound method each miss raises and drops an
    AttributeError inside (~1 µs), on a partial it does not (~0.1 µs). The
    sandbox refuses every attribute of a partial (``func``, ``args``), as it
    refuses a bound method's ``__self__``.
    """
    function, owner = getattr(method, "__func__", None), getattr(method, "__self__", None)
    if function is None or owner is None:  # not a bound Python method (a builtin's, a plain function): as it is
        return method
    return partial(function, owner)


# Every environment above is configured alike but for the sandbox (only the gettext
# callables, which are looked up when a template runs, differ by language), so a template
# file compiles to the same code for every language: it is compiled once per process
# (kept in memory) and, with an on-disk cache directory (reportgen.resources.cache_dir),
# once per machine. Sandboxed code differs (its calls go through the sandbox): its own key.
_ENV_FINGERPRINT = "reportgen-v2|autoescape|strict|i18n-newstyle|trim0"


_COMPILED: dict[str, tuple[str, Any]] = {}  # cache key -> (source checksum, code), for this process


def _bytecode_cache(sandboxed: bool) -> Any:
    """A Jinja2 bytecode cache over the code all environments share: in memory, and on disk if it can be."""
    from jinja2.bccache import Bucket, FileSystemBytecodeCache

    from reportgen.resources import cache_dir

    fingerprint = f"{_ENV_FINGERPRINT}|{'sandbox' if sandboxed else 'plain'}"

    class SharedBytecodeCache(FileSystemBytecodeCache):
        def __init__(self) -> None:
            directory = cache_dir("templates")
            super().__init__(str(directory) if directory else "", "%s.jinja")
            self.on_disk = directory is not None
            self.memory = _COMPILED

        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            return str(super().get_cache_key(f"{fingerprint}|{name}", filename))

        def load_bytecode(self, bucket: Bucket) -> None:
            found = self.memory.get(bucket.key)
            if found is not None and found[0] == bucket.checksum:
                bucket.code = found[1]
                return
            if self.on_disk:
                try:
                    super().load_bytecode(bucket)
                except Exception:  # noqa: BLE001 (an unreadable entry, whatever its damage: compile afresh)
                    bucket.reset()
                if bucket.code is not None:
                    self.memory[bucket.key] = (bucket.checksum, bucket.code)

        def dump_bytecode(self, bucket: Bucket) -> None:
            self.memory[bucket.key] = (bucket.checksum, bucket.code)
            if self.on_disk:
                try:
                    super().dump_bytecode(bucket)
                except OSError:
                    pass

    return SharedBytecodeCache()


def describe_error(exc: BaseException, template: Template) -> str:
    """A Jinja2 error as ``template FILE:LINE: message``, the line found in the traceback for runtime errors."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    if line is None:
        name, line = _innermost_template_frame(exc, template) or (name, None)
    name = name or template.file(template.entry)
    where = f"{name}:{line}" if line else str(name)
    message = getattr(exc, "message", None) or str(exc)
    return f"template {where}: {message}"


def _innermost_template_frame(exc: BaseException, template: Template) -> tuple[str, int] | None:
    """The last traceback frame that runs template code (Jinja2 rewrites frames to template lines)."""
    found = None
    prefix = template.file("")
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(prefix) and filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def locate_element(template: Template, tag: str) -> tuple[str, int] | None:
    """Where the template writes ``<tag``: the first file and line, for messages on unknown elements."""
    import re

    pattern = re.compile(rf"<{re.escape(tag)}(?=[\s/>])")
    files = sorted(p for p in template.directory.rglob("*.j2") if p.is_file())
    files.sort(key=lambda p: p.name != template.entry)  # the entry first
    for path in files:
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if pattern.search(line):
                return template.file(str(path.relative_to(template.directory))), number
    return None


# ------------------------------------------------------------------ template helpers

_CN_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, 105 → 一百零五 (Word's chineseCounting), up to 9999."""
    if not 0 < n < 10000:
        return str(n)
    units = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
    out, zero = "", False
    for value, unit in units:
        digit, n = divmod(n, value)
        if digit:
            if zero:
                out += "零"
            out += ("" if (value == 10 and digit == 1 and not out) else _CN_DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


def list_marker(n: int, style: str = "chinese") -> str:
    """A heading or list number as GB/T 9704 writes it.

    ``chinese`` 一、, ``chinese-paren`` （一）, ``decimal`` 1., ``decimal-paren`` （1）,
    ``roman`` I., ``alpha`` A.: a list-marker format, like Word's numbering formats.
    """
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"list_marker: a positive whole number, not {n!r}")
    if style == "chinese":
        return f"{chinese_number(n)}、"
    if style == "chinese-paren":
        return f"（{chinese_number(n)}）"
    if style == "decimal":
        return f"{n}."
    if style == "decimal-paren":
        return f"（{n}）"
    if style == "roman":
        return f"{_roman(n)}."
    if style == "alpha":
        return f"{_alpha(n)}."
    raise ValueError(f"list_marker: unknown style {style!r}")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _alpha(n: int) -> str:
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("A") + rest) + out
    return out
