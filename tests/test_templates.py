"""Templates: shipped ones by name, user ones by directory; the sandbox; errors with file and line."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, REFERENCE, ROOT, run_cli
from reportgen import doctree as dt
from reportgen import templates as tpl
from reportgen.compose import compose
from reportgen.errors import TemplateError, UsageError
from reportgen.loading import load_event

MEMO = FIXTURES / "templates" / "memo"
JIANBAO_EVENT = FIXTURES / "jianbao-example.yaml"


@pytest.fixture(scope="module")
def event():
    return load_event(REFERENCE)


def _text(blocks: tuple[dt.Block, ...]) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, dt.SplitLine):
            out.append(dt.plain_text(block.left) + " | " + dt.plain_text(block.right))
        elif isinstance(block, dt.BulletList):
            out.extend(dt.plain_text(item.children) for item in block.items)
        elif hasattr(block, "children"):
            out.append(dt.plain_text(block.children))
    return out


# ------------------------------------------------------------------ shipped templates


def test_templates_command_lists_each_shipped_template_on_one_line() -> None:
    run = run_cli("templates")
    assert run.status == 0, run.stderr
    lines = run.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["briefing", "jianbao"]
    assert "22×28 grid" in lines[1] and "简报" in lines[1]


def test_unknown_template_name_is_a_usage_error_listing_the_shipped_ones(tmp_path: Path) -> None:
    run = run_cli("build", REFERENCE, "--template", "nope", "-o", tmp_path / "out")
    assert run.status == 2
    assert "unknown template 'nope'; shipped: briefing, jianbao" in run.stderr
    assert not (tmp_path / "out").exists()


def test_manifests_become_page_setups() -> None:
    assert tpl.load("briefing").page == dt.PageSetup()
    jianbao = tpl.load("jianbao").page
    assert jianbao.style == "jianbao" and jianbao.paper == "a4"
    assert jianbao.margins_mm == (37, 26, 35, 28) and jianbao.grid == (22, 28)
    assert jianbao.page_numbers == "outer"


def test_both_templates_share_the_vocabulary_and_choose_the_blocks(event) -> None:
    briefing = compose(event, "zh").document
    jianbao = compose(event, "zh", "jianbao").document
    assert briefing.page.style == "briefing" and jianbao.page.style == "jianbao"
    assert any(isinstance(b, dt.Table) for b in briefing.blocks)
    assert not any(isinstance(b, (dt.Table, dt.FigureGroup)) for b in jianbao.blocks)
    assert any(isinstance(b, dt.Rule) for b in jianbao.blocks)


def test_list_markers() -> None:
    marker = tpl.list_marker
    assert [marker(n) for n in (1, 2, 10, 11, 20, 21, 105)] == [
        "一、", "二、", "十、", "十一、", "二十、", "二十一、", "一百零五、",
    ]
    assert marker(3, "chinese-paren") == "（三）"
    assert marker(4, "decimal") == "4." and marker(4, "decimal-paren") == "（4）"
    assert marker(14, "roman") == "XIV." and marker(28, "alpha") == "AB."
    with pytest.raises(ValueError):
        marker(0)


# ------------------------------------------------------------------ a user template


def test_a_user_template_composes_with_its_own_catalog_and_page(event) -> None:
    document = compose(event, "zh", str(MEMO)).document
    text = _text(document.blocks)
    assert text[0] == "董事会备忘录"  # from the template's own catalog
    assert text[2] == "2025年8月27日举行"
    assert any(isinstance(b, dt.Rule) and b.color == "accent" for b in document.blocks)
    split = next(b for b in document.blocks if isinstance(b, dt.SplitLine))
    assert split.role == "note" and dt.plain_text(split.left) == "由reportgen编制"
    # a string the template's catalog leaves untranslated comes from reportgen's
    assert dt.plain_text(document.footer) == "第  页 / 共  页"
    assert document.page.margins_mm == (30, 25, 30, 25)
    assert document.page.fonts == (("body", "Georgia"),)
    english = compose(event, "en", str(MEMO)).document
    assert _text(english.blocks)[0] == "Memo for the board"


def test_a_user_template_builds_both_formats(tmp_path: Path) -> None:
    run = run_cli("build", REFERENCE, "--template", MEMO, "--lang", "zh,en", "--format", "pdf,docx", "-o", tmp_path)
    assert run.status == 0, run.stderr
    assert len(list(tmp_path.glob("*.pdf"))) == 2 and len(list(tmp_path.glob("*.docx"))) == 2


def test_a_copied_shipped_template_is_a_user_template(event, tmp_path: Path) -> None:
    """What the README tells users to do: copy a shipped template and change it."""
    mine = tmp_path / "my-jianbao"
    shutil.copytree(ROOT / "templates" / "jianbao", mine)
    manifest = (mine / "template.toml").read_text("utf-8").replace("[37, 26, 35, 28]", "[30, 26, 30, 28]")
    (mine / "template.toml").write_text(manifest, "utf-8")
    document = compose(event, "zh", str(mine)).document
    assert document.page.margins_mm == (30, 26, 30, 28)
    assert document.blocks == compose(event, "zh", "jianbao").document.blocks


def test_the_user_catalog_matches_a_fresh_extraction(tmp_path: Path) -> None:
    """The documented workflow: pybabel extract with the template's babel.cfg gives its template.pot."""
    from babel.messages.frontend import CommandLineInterface
    from babel.messages.pofile import read_po

    fresh = tmp_path / "fresh.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(MEMO / "babel.cfg"), "-k", "pgettext:1c,2", "-k", "ngettext:1,2",
        "--no-location", "--sort-output", "--omit-header", "-o", str(fresh), str(MEMO),
    ])

    def ids(path: Path) -> set[object]:
        with path.open("rb") as handle:
            return {m.id for m in read_po(handle) if m.id}

    assert ids(fresh) == ids(MEMO / "locales" / "template.pot")
    assert ids(fresh) <= ids(MEMO / "locales" / "zh" / "LC_MESSAGES" / "template.po")


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ('[page]\nmargins_mm = [1, 2]\n', r"margins_mm: four numbers"),
        ('[page]\nstyle = "fancy"\n', r"style 'fancy'"),
        ('[page]\ngrid = [22, "28"]\n', r"grid:"),
        ('colour = "red"\n', r"unknown key\(s\) colour"),
        ('[fonts]\nbanner = "Arial"\n', r"unknown font slot\(s\) banner"),
        ('description = \n', r"template\.toml"),
    ],
)
def test_a_bad_manifest_is_reported_with_its_file(tmp_path: Path, manifest: str, message: str) -> None:
    mine = _user_template(tmp_path, "<document><body/></document>")
    (mine / "template.toml").write_text(manifest, "utf-8")
    with pytest.raises(TemplateError, match=message) as info:
        tpl.load(str(mine))
    assert str(mine / "template.toml") in str(info.value)


def test_a_missing_template_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        tpl.load(str(tmp_path / "nowhere"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="has no document.xml.j2"):
        tpl.load(str(tmp_path / "empty"))


# ------------------------------------------------------------------ the sandbox

_counter = iter(range(10**6))


def _user_template(tmp_path: Path, entry: str, **files: str) -> Path:
    """A fresh template directory (a new path each time: templates are cached per directory)."""
    mine = tmp_path / f"tpl{next(_counter)}"
    mine.mkdir()
    (mine / "document.xml.j2").write_text(entry, "utf-8")
    for name, text in files.items():
        (mine / name).write_text(text, "utf-8")
    return mine


def _wrap(body: str) -> str:
    return "<document>\n<body>\n" + body + "\n</body>\n</document>\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<para>{{ ''.__class__.__mro__ }}</para>", r"unsafe"),
        ("<para>{{ ''.__class__.__mro__[1].__subclasses__() }}</para>", r"unsafe|undefined"),
        ("<para>{{ cycler.__init__.__globals__ }}</para>", r"unsafe|undefined"),
        ("<para>{{ ev.__class__ }}</para>", r"unsafe"),
        ("<para>{{ markup.__init__.__globals__['__builtins__'] }}</para>", r"unsafe"),
        ("<para>{{ l10n.translations }}</para>", r"unsafe"),
        ("<para>{{ l10n.locale }}</para>", r"unsafe"),
        ("<para>{{ self._TemplateReference__context }}</para>", r"unsafe"),
        ("<para>{{ t.__globals__ }}</para>", r"unsafe|no attribute"),
        ("<para>{{ t.func }}</para>", r"unsafe"),  # helpers are partials: their function and object stay hidden
        ("<para>{{ t.args[0].gaps }}</para>", r"unsafe"),
        ("<para>{{ speaker.keywords }}</para>", r"unsafe"),
        ("{% include '/etc/passwd' %}", r"/etc/passwd.*only files inside its own directory"),
        ("{% include '../memo/document.xml.j2' %}", r"\.\./memo/document\.xml\.j2"),
        ("{% import 'os' as os %}", r"'os'|os"),
        ("<para>{{ lipsum.__globals__['os'] }}</para>", r"unsafe|undefined"),
        ("<para>{{ range.__self__ }}</para>", r"unsafe|undefined|no attribute"),
    ],
)
def test_sandbox_escapes_fail_with_file_and_line(event, tmp_path: Path, body: str, message: str) -> None:
    mine = _user_template(tmp_path, _wrap(body))
    with pytest.raises(TemplateError, match=message) as info:
        compose(event, "en", str(mine))
    assert f"template {mine / 'document.xml.j2'}:3:" in str(info.value)
    assert "root:" not in str(info.value)  # nothing of /etc/passwd leaked into the message


def test_a_name_safe_on_one_type_stays_unsafe_on_another(event, tmp_path: Path) -> None:
    """The sandbox keeps its answers per (type, name): a Text's ``translations`` are not the localizer's."""
    safe = _user_template(tmp_path, _wrap("<para>{{ ev.title.translations|length }}</para>"))
    unsafe = _user_template(tmp_path, _wrap("<para>{{ l10n.translations }}</para>"))
    for _ in range(2):
        body = compose(event, "en", str(safe)).document.blocks
        assert body[0].children[0].text == str(len(event.title.translations))
        with pytest.raises(TemplateError, match="unsafe"):
            compose(event, "en", str(unsafe))


def test_a_symbolic_link_out_of_the_template_directory_is_refused(event, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", "utf-8")
    mine = _user_template(tmp_path, _wrap("<para>{% include 'leak.j2' %}</para>"))
    os.symlink(secret, mine / "leak.j2")
    with pytest.raises(TemplateError, match="only files inside its own directory") as info:
        compose(event, "en", str(mine))
    assert "TOP SECRET" not in str(info.value)


def test_files_beside_the_template_can_be_included_but_nothing_reads_files_elsewhere(event, tmp_path: Path) -> None:
    mine = _user_template(tmp_path, _wrap('<para>{% include "part.txt" %}</para>'), **{"part.txt": "from the template"})
    assert _text(compose(event, "en", str(mine)).document.blocks) == ["from the template"]
    # the helpers offer no way to open a file
    for name in ("open", "file", "read", "include_file", "__import__", "import"):
        mine = _user_template(tmp_path, _wrap(f"<para>{{{{ {name}('/etc/passwd') }}}}</para>"))
        with pytest.raises(TemplateError):
            compose(event, "en", str(mine))


# ------------------------------------------------------------------ errors with file and line


def test_an_undefined_variable_names_file_and_line(event, tmp_path: Path) -> None:
    mine = _user_template(tmp_path, _wrap("<title>{{ t(ev.title) }}</title>\n<para>{{ ev.nope }}</para>"))
    with pytest.raises(TemplateError, match=rf"template {mine / 'document.xml.j2'}:4: .*nope"):
        compose(event, "en", str(mine))


def test_an_undefined_variable_in_an_imported_file_names_that_file(event, tmp_path: Path) -> None:
    mine = _user_template(
        tmp_path,
        '{%- import "m.j2" as m with context -%}' + _wrap("<para>{{ m.bad() }}</para>"),
        **{"m.j2": "{%- macro bad() -%}\n\n{{ missing_helper(1) }}\n{%- endmacro -%}\n"},
    )
    with pytest.raises(TemplateError, match=rf"template {mine / 'm.j2'}:3: .*missing_helper"):
        compose(event, "en", str(mine))


def test_a_syntax_error_names_file_and_line(event, tmp_path: Path) -> None:
    mine = _user_template(tmp_path, _wrap("<para>\n{% if ev.title %}</para>"))
    with pytest.raises(TemplateError, match=rf"template {mine / 'document.xml.j2'}:\d+: .*endif"):
        compose(event, "en", str(mine))


def test_an_unknown_element_names_file_and_line(event, tmp_path: Path) -> None:
    mine = _user_template(tmp_path, _wrap("<title>{{ t(ev.title) }}</title>\n\n<chart kind='pie'/>"))
    with pytest.raises(TemplateError, match=rf"template {mine / 'document.xml.j2'}:5: <chart> .*unknown block element"):
        compose(event, "en", str(mine))


def test_an_unknown_role_names_file_and_line(event, tmp_path: Path) -> None:
    mine = _user_template(tmp_path, _wrap('<para role="shout">x</para>'))
    with pytest.raises(TemplateError, match=r"document\.xml\.j2:3: .*unknown role 'shout'"):
        compose(event, "en", str(mine))


def test_a_broken_template_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    mine = _user_template(tmp_path, _wrap("<para>{{ nope }}</para>"))
    out = tmp_path / "out"
    run = run_cli("build", REFERENCE, "--template", mine, "--format", "pdf,docx", "-o", out)
    assert run.status == 1
    assert f"reportgen: error: template {mine / 'document.xml.j2'}:3: 'nope' is undefined" in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("name", [template.name for template in tpl.shipped()])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_shipped_templates_compose_the_same_in_the_sandbox(
    event, monkeypatch: pytest.MonkeyPatch, name: str, lang: str
) -> None:
    """The shipped templates run without the sandbox (they are reportgen's code); a user's copy runs in it."""
    from jinja2.sandbox import SandboxedEnvironment

    from reportgen.compose import _environment

    plain = compose(event, lang, name)
    assert not isinstance(_environment(lang, tpl.load(name)), SandboxedEnvironment)
    monkeypatch.setattr(tpl, "_SANDBOX_SHIPPED", True)
    _environment.cache_clear()
    try:
        sandboxed = compose(event, lang, name)
        assert isinstance(_environment(lang, tpl.load(name)), SandboxedEnvironment)
    finally:
        _environment.cache_clear()
    assert sandboxed == plain
    assert sandboxed.document.blocks  # something was composed


def test_unbound_makes_a_partial_of_a_bound_method_only() -> None:
    class Greeter:
        def greet(self, name: str) -> str:
            return f"hello {name}"

    helper = tpl.unbound(Greeter().greet)
    assert type(helper).__name__ == "partial" and helper("you") == "hello you"
    assert tpl.unbound(len) is len  # a builtin: as it is
    assert tpl.unbound(tpl.list_marker) is tpl.list_marker  # a plain function: as it is


def _context_env(**helpers: object):
    """A plain Jinja2 environment with reportgen's context class and the given globals."""
    from jinja2 import Environment, StrictUndefined

    env = Environment(autoescape=True, undefined=StrictUndefined)
    env.context_class = tpl._context_class()
    env.globals.update(helpers)
    return env


def _rendered_ours_and_jinja2s(
    source: str, values: dict[str, Any], setup: Callable[[Any, bool], None], **options: Any
) -> list[str]:
    """A template rendered in an environment with reportgen's piece (``setup(env, True)``) and in one without."""
    from jinja2 import Environment, StrictUndefined

    outputs = []
    for ours in (True, False):
        env = Environment(autoescape=True, undefined=StrictUndefined, **options)
        setup(env, ours)
        outputs.append(env.from_string(source).render(**values))
    return outputs


def test_context_calls_helpers_and_macros_as_jinja2_does() -> None:
    """The context's direct path gives what Jinja2's ``Context.call`` gives, in loops and outside."""
    from functools import partial

    from jinja2 import pass_context

    env = _context_env(
        add=partial(lambda a, b: a + b, 1),
        tag=pass_context(lambda context, name: f"{context['who']}:{name}"),  # a callable that wants the context
        tagged=pass_context(partial(lambda context, name: f"{context['who']}/{name}")),  # a partial that says so
    )
    source = (
        "{% macro m(x, y='d') %}<{{ x }}|{{ y }}>{% endmacro %}"
        "{% for i in [1, 2] %}{{ add(i) }}{{ m(i, y=add(i)) }}{{ tag('a') }}{{ tagged(i) }};{% endfor %}"
        "{{ m('&') }}"
    )
    assert env.context_class.__name__ == "DirectCallContext"
    out = env.from_string(source).render(who="w")
    assert out == "2<1|2>w:aw/1;3<2|3>w:aw/2;<&amp;|d>"


def test_context_passes_functions_what_jinja2s_context_passes() -> None:
    """Plain functions and those that want the context (loop and block variables too), evaluation context or
    environment get from the direct path what Jinja2's own ``Context.call`` gives them."""
    from functools import partial

    from jinja2 import pass_context, pass_environment, pass_eval_context
    from markupsafe import Markup

    helpers = {
        "plain": lambda value: f"<{value}>",
        "show": pass_context(lambda context, name: f"{name}={context.get(name, '-')}"),
        "shown": pass_context(partial(lambda context, name: f"{name}~{context.get(name, '-')}")),
        "escaping": pass_eval_context(lambda eval_context, value: f"{eval_context.autoescape}:{value}"),
        "env": pass_environment(lambda environment, value: f"{type(environment).__name__}:{value}"),
        "markup": Markup,
        "method": "{}!".format,
    }
    source = (
        "{{ plain('&') }} {{ markup('<b/>') }} {{ method('x') }} {{ env(1) }} {{ escaping(2) }} {{ show('top') }}"
        "{% for i in [1, 2] %}{% set j = i * 10 %}[{{ show('i') }} {{ shown('j') }} {{ plain(i) }}]{% endfor %}"
        "{% block b %}{% set k = 5 %}({{ show('k') }} {{ shown('k') }}){% endblock %}"
    )

    def setup(env: Any, ours: bool) -> None:
        if ours:
            env.context_class = tpl._context_class()
        env.globals.update(helpers)

    outputs = _rendered_ours_and_jinja2s(source, {"top": "t"}, setup)
    assert outputs[0] == outputs[1]
    assert "j~20" in outputs[0] and "k=5" in outputs[0]  # the loop's and the block's variables did reach them


def test_template_output_is_escaped_as_jinja2_escapes_it() -> None:
    """Markup passed as it is, everything else escaped by markupsafe: what Jinja2's own Template writes."""
    from markupsafe import Markup, escape

    class Loud(Markup):  # a Markup subclass that says something else of itself
        def __html__(self) -> Markup:
            return Markup(str.upper(self))

    class Widget:
        def __html__(self) -> str:
            return "<i>w</i>"

    values = {"m": Markup("<b>&amp;</b>"), "s": "<a & b>", "n": 4, "loud": Loud("<q>"), "w": Widget(), "none": None}
    source = (
        "{% macro box(x) %}[{{ x }}]{% endmacro %}"
        "{{ m }}{{ s }}{{ n }}{{ loud }}{{ w }}{{ none }}{{ box(m) }}{{ box(s) }}{{ s if n > 5 }}"
        "{{ m ~ s }}{% autoescape false %}{{ s }}{{ m }}{% endautoescape %}"
    )

    def setup(env: Any, ours: bool) -> None:
        if ours:
            env.template_class = tpl._template_class()
            assert env.from_string(source).root_render_func.__globals__["escape"] is not escape  # ours is in use

    outputs = _rendered_ours_and_jinja2s(source, values, setup)
    assert outputs[0] == outputs[1]
    assert "&lt;a &amp; b&gt;" in outputs[0] and "<b>&amp;</b>" in outputs[0] and "<Q>" in outputs[0]


def test_messages_are_filled_as_jinja2s_newstyle_gettext_fills_them() -> None:
    """gettext, ngettext, pgettext and trans blocks give what Jinja2's own newstyle callables give."""
    from markupsafe import Markup

    catalog = {
        "Hi %(name)s": "<b>你好</b>，%(name)s",
        "%(num)s apple": "%(num)s 个苹果",
        "%(num)s apples": "%(num)s 个苹果",
    }

    class Messages:
        def ugettext(self, message: str) -> str:
            return catalog.get(message, message)

        def ungettext(self, singular: str, plural: str, n: int) -> str:
            return catalog.get(singular if n == 1 else plural, singular if n == 1 else plural)

        def upgettext(self, context: str, message: str) -> str:
            return f"[{context}] {catalog.get(message, message)}"

    source = (
        "{{ _('Hi %(name)s', name=s) }}|{{ _('Hi %(name)s', name=m) }}|{{ _('Hi %(name)s', name=n) }}"
        "|{{ _('Hi %(name)s', name=none) }}|{{ _('%(n)d items and %(n)05.1f', n=n) }}|{{ _('100%% sure') }}"
        "|{{ _('plain') }}|{{ ngettext('%(num)s apple', '%(num)s apples', n) }}"
        "|{{ ngettext('%(num)s apple', '%(num)s apples', 1) }}"
        "|{{ pgettext('menu', 'Open %(what)s', what=s) }}|{{ pgettext('ctx', 'In %(context)s') }}"
        "|{% trans %}Hello {{ s }}{% endtrans %}"
        "|{% trans count=n %}one {{ m }}{% pluralize %}{{ count }} of {{ m }}{% endtrans %}"
        "|{% autoescape false %}{{ _('Hi %(name)s', name=s) }}{% endautoescape %}"
    )
    values = {"s": "<x> & \"y\"", "m": Markup("<i>ok</i>"), "n": 3, "none": None}
    def setup(env: Any, ours: bool) -> None:
        messages = Messages()
        env.install_gettext_callables(messages.ugettext, messages.ungettext, newstyle=True, pgettext=messages.upgettext)
        if ours:
            env.globals.update(tpl._newstyle_gettext(messages))

    outputs = _rendered_ours_and_jinja2s(source, values, setup, extensions=["jinja2.ext.i18n"])
    assert outputs[0] == outputs[1]
    assert "&lt;x&gt; &amp; &#34;y&#34;" in outputs[0] and "<b>你好</b>，<i>ok</i>" in outputs[0]


def test_context_gives_a_macro_the_evaluation_context() -> None:
    """A macro called where autoescaping is off returns plain text, not markup, as in Jinja2."""
    from functools import partial

    env = _context_env(kind=partial(lambda value: type(value).__name__))
    source = "{% macro m() %}<b>{% endmacro %}{{ kind(m()) }} {% autoescape false %}{{ kind(m()) }}{% endautoescape %}"
    assert env.from_string(source).render() == "Markup str"


def test_context_answers_a_helper_raising_stop_iteration_as_jinja2_does() -> None:
    from functools import partial

    from jinja2 import UndefinedError

    def stop(_: object) -> None:
        raise StopIteration

    env = _context_env(stop=partial(stop, None))
    assert env.from_string("{{ stop() is defined }}").render() == "False"
    with pytest.raises(UndefinedError, match="StopIteration"):
        env.from_string("{{ stop() }}").render()


def test_composing_uses_the_direct_call_context(event) -> None:
    from reportgen.compose import _environment

    compose(event, "en")
    assert _environment("en", tpl.load("briefing")).context_class is tpl._context_class()
    assert _environment("en", tpl.load("briefing")).template_class is tpl._template_class()
