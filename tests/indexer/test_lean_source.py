"""The Lean source parser on each construct real Mathlib contains (one small fixture each)."""

from __future__ import annotations

import textwrap

from indexer.declaration_parts import parse_deprecated
from indexer.lean_source import module_name, parse_file
from indexer.models import Declaration


def decls(src: str, rel: str = "Test/File.lean") -> dict[str, Declaration]:
    result = parse_file(textwrap.dedent(src), rel, "Test")
    return {d.name: d for d in result.declarations}


def test_module_name() -> None:
    assert module_name("Mathlib/Algebra/Group/Defs.lean") == "Mathlib.Algebra.Group.Defs"


def test_multiline_signature_and_docstring() -> None:
    d = decls("""
        /-- A docstring
        over two lines. -/
        theorem foo {α : Type*} [Mul α]
            (a b : α)
            (h : a * b = b * a) :
            b * a = a * b := by
          exact h.symm
        """)["foo"]
    assert d.kind == "theorem"
    assert d.signature == "{α : Type*} [Mul α] (a b : α) (h : a * b = b * a) : b * a = a * b"
    assert d.docstring == "A docstring\nover two lines."
    assert (d.line_start, d.line_end) == (2, 8)
    assert d.references == ["Mul"]


def test_attribute_spanning_lines_with_docstring_inside() -> None:
    result = parse_file(
        textwrap.dedent("""
        /-- Multiplicative. -/
        @[to_additive (attr := simp) /-- Additive,
        on two lines. -/]
        theorem one_mul' : True := trivial
        """),
        "T.lean",
    )
    (d,) = result.declarations
    assert d.attributes == ["to_additive (attr := simp)"]
    assert d.docstring == "Multiplicative."
    (req,) = result.translations
    assert req.source == "one_mul'" and req.docstring == "Additive,\non two lines."
    assert req.nested == ["simp"]


def test_where_bodies_extends_without_where_and_fields() -> None:
    ds = decls("""
        /-- Points. -/
        structure Point (α : Type) where
          mk' ::
          /-- first coordinate -/
          x : α
          y : α := x
          (z w : α)
        structure Point3 (α : Type) extends Point α
        instance : Inhabited Nat where
          default := 0
        """)
    assert ds["Point"].signature == "(α : Type)"
    assert ds["Point.mk'"].kind == "constructor"
    assert ds["Point.x"].kind == "structure field" and ds["Point.x"].docstring == "first coordinate"
    assert ds["Point.y"].signature == ": α"
    assert {"Point.z", "Point.w"} <= set(ds)
    assert ds["Point3"].signature == "(α : Type) extends Point α"
    assert ds["Point3.toPoint"].origin == "parent projection"
    assert "Point3.x" not in ds  # inherited fields are not new declarations


def test_default_value_override_is_not_a_field() -> None:
    ds = decls("""
        class Monoid' (M : Type) extends Semigroup M where
          npow := npowRec
          one_mul : ∀ a : M, a = a
        """)
    assert "Monoid'.one_mul" in ds and "Monoid'.npow" not in ds


def test_pattern_matching_on_the_signature_line() -> None:
    ds = decls(
        "def f : Nat → Nat | 0 => 1 | n + 1 => f n\ntheorem abs_fact (a : Int) : |a| = |a| := rfl\n"
    )
    assert ds["f"].signature == ": Nat → Nat"
    assert ds["abs_fact"].signature == "(a : Int) : |a| = |a|"


def test_a_binding_in_the_type_does_not_end_the_signature() -> None:
    ds = decls("""
        lemma inl_hom (i j : ι) (hij : c.Rel j i) :
            haveI := hasBiprod φ _ _ hij
            inlX φ i j hij ≫ (iso φ j i hij).hom = biprod.inl := by
          have := hasBiprod φ _ _ hij
          simp [inlX]

        theorem functor_linear : letI := instLinear L W; Functor.Linear R L := by
          exact foo

        def letFree (n : ℕ) : ℕ := let m := n; m + 1
        """)
    assert ds["inl_hom"].signature == (
        "(i j : ι) (hij : c.Rel j i) : haveI := hasBiprod φ _ _ hij; "
        "inlX φ i j hij ≫ (iso φ j i hij).hom = biprod.inl"
    )
    assert ds["functor_linear"].signature == ": letI := instLinear L W; Functor.Linear R L"
    assert ds["letFree"].signature == "(n : ℕ) : ℕ"
    fields = decls("""
        class HasDimLT (X : C) (n : ℕ) : Prop where mk' ::
          sub (i : ℕ) (hi : n ≤ i) ⦃Y : C⦄ :
            letI := HasExt.standard C
            Subsingleton (Ext Y X i)
          size : ℕ := 3
        """)
    assert fields["HasDimLT.sub"].signature == (
        "(i : ℕ) (hi : n ≤ i) ⦃Y : C⦄ : letI := HasExt.standard C; Subsingleton (Ext Y X i)"
    )
    assert fields["HasDimLT.size"].signature == ": ℕ"


def test_namespace_closed_one_component_at_a_time() -> None:
    ds = decls("""
        namespace A.B.C
        theorem x : True := trivial
        end C
        theorem y : True := trivial
        end B
        end A
        theorem z : True := trivial
        """)
    assert {"A.B.C.x", "A.B.y", "z"} <= set(ds)


def test_section_variants_and_dotted_sections() -> None:
    result = parse_file(
        textwrap.dedent("""
        namespace N
        section
        noncomputable section
        @[expose] public section
        section Foo.Bar
        theorem a : True := trivial
        end Bar
        end Foo
        end
        end
        end
        theorem b : True := trivial
        end N
        """),
        "T.lean",
    )
    assert {d.name for d in result.declarations} == {"N.a", "N.b"}
    assert result.warnings == []


def test_open_in_and_set_option_in_before_docstring() -> None:
    ds = decls("""
        open Foo Bar in
        set_option linter.x false in
        /-- Documented. -/
        theorem t : True := trivial
        theorem u : True := trivial
        open scoped Topology in theorem v : True := trivial
        """)
    assert ds["t"].opens == ["Foo", "Bar"] and ds["t"].docstring == "Documented."
    assert ds["u"].opens == []  # `open ... in` applies to one command only
    assert ds["v"].opens == ["scoped Topology"]


def test_variable_in_and_variables_in_scope() -> None:
    ds = decls("""
        variable {G : Type} [Group G]
        variable (n : Nat) in
        theorem t (g : G) : n = n := rfl
        theorem u : True := trivial
        """)
    assert ds["t"].variables == ["{G : Type}", "[Group G]", "(n : Nat)"]
    assert set(ds["t"].references) == {"Group", "Nat"}
    assert ds["u"].variables == ["{G : Type}", "[Group G]"]
    assert ds["u"].references == ["True"]  # unused variables are not dependencies


def test_section_variables_join_the_signatures_of_the_kinds_asked_for() -> None:
    src = textwrap.dedent("""
        variable {G : Type} [Group G] (x : G)
        def sq : G := x * x
        theorem sq_eq : sq x = x * x := rfl
        """)
    every = {d.name: d.signature for d in parse_file(src, "T.lean", "T").declarations}
    assert every["sq"] == "{G : Type} [Group G] : G"
    assert every["sq_eq"] == "{G : Type} [Group G] (x : G) : sq x = x * x"
    defs = parse_file(src, "T.lean", "T", references=False, section_variables=frozenset({"def"}))
    got = {d.name: d.signature for d in defs.declarations}
    assert got["sq"] == every["sq"]
    assert got["sq_eq"] == ": sq x = x * x"  # as written
    none = parse_file(src, "T.lean", "T", section_variables=False).declarations
    assert [d.signature for d in none] == [": G", ": sq x = x * x"]
    assert set(none[0].references) >= {"Group"}  # references still read the variables used


def test_signatures_are_read_for_the_kinds_asked_for_only() -> None:
    """Rename detection compares definitions' signatures only: a theorem's is not read, while
    its name, docstring, attributes and the declarations it generates stay as they are."""
    src = textwrap.dedent("""
        /-- squares -/
        def sq (n : Nat) : Nat := n * n
        /-- A doc. -/
        @[simp, deprecated (since := "2024-01-01")]
        theorem sq_eq (n : Nat) : sq n = n * n := rfl
        structure P where
          x : Nat
        """)
    every = {d.name: d for d in parse_file(src, "T.lean", "T").declarations}
    defs = parse_file(src, "T.lean", "T", signatures=frozenset({"def", "structure"}))
    got = {d.name: d for d in defs.declarations}
    assert got.keys() == every.keys()  # the structure's field too
    assert got["sq"].signature == every["sq"].signature == "(n : Nat) : Nat"
    assert got["sq_eq"].signature == "" and every["sq_eq"].signature == "(n : Nat) : sq n = n * n"
    for field in ("docstring", "attributes", "deprecated", "kind", "line_end"):
        assert getattr(got["sq_eq"], field) == getattr(every["sq_eq"], field)


def test_mutual_blocks_with_indented_declarations() -> None:
    ds = decls("""
        mutual
          def isEven : Nat → Bool
            | 0 => true
            | n + 1 => isOdd n
          def isOdd : Nat → Bool
            | 0 => false
            | n + 1 => isEven n
        end
        theorem after : True := trivial
        """)
    assert {"isEven", "isOdd", "after"} <= set(ds)
    assert ds["isOdd"].signature == ": Nat → Bool"


def test_root_private_protected_guillemets_and_universes() -> None:
    ds = decls("""
        namespace N
        theorem _root_.top : True := trivial
        private theorem hidden : True := trivial
        protected theorem prot : True := trivial
        theorem «forall» : True := trivial
        theorem «plain» : True := trivial
        def Foo.{u} (α : Sort u) : Sort u := α
        end N
        """)
    assert "top" in ds
    assert ds["N.hidden"].is_private and ds["N.prot"].is_protected
    assert "N.«forall»" in ds and "N.plain" in ds
    assert ds["N.Foo"].signature == "(α : Sort u) : Sort u"


def test_module_system_imports_and_meta() -> None:
    result = parse_file(
        textwrap.dedent("""
        module

        public import Mathlib.Algebra.Group.Defs
        import Mathlib.Logic.Basic
        public meta import Mathlib.Tactic.Ring

        /-! # Title -/

        @[expose] public section
        meta def helper : Nat := 0
        public theorem visible : True := trivial
        end
        """),
        "M.lean",
    )
    assert result.module.imports == [
        "Mathlib.Algebra.Group.Defs",
        "Mathlib.Logic.Basic",
        "Mathlib.Tactic.Ring",
    ]
    assert result.module.docstrings == ["# Title"]
    names = {d.name: d for d in result.declarations}
    assert names["helper"].modifiers == ["meta"]
    assert "visible" in names


def test_aliases_deprecations_and_iff_alias() -> None:
    ds = decls("""
        namespace N
        theorem foo_iff : True ↔ True := Iff.rfl
        alias ⟨foo_mp, foo_mpr⟩ := foo_iff
        alias ⟨_, only_mpr⟩ := foo_iff
        @[deprecated (since := "2024-03-01")] alias old := foo_iff
        @[deprecated foo_iff "use foo_iff" (since := "2024-05-01")]
        theorem older : True ↔ True := Iff.rfl
        end N
        """)
    assert ds["N.foo_mp"].alias_of == "foo_iff.mp" and ds["N.foo_mpr"].alias_of == "foo_iff.mpr"
    assert "N.only_mpr" in ds and "N._" not in ds
    assert ds["N.old"].deprecated is not None and ds["N.old"].deprecated.since == "2024-03-01"
    assert ds["N.old"].alias_of == "foo_iff"
    dep = ds["N.older"].deprecated
    assert dep is not None and (dep.target, dep.message) == ("foo_iff", "use foo_iff")


def test_parse_deprecated_forms() -> None:
    assert parse_deprecated('deprecated (since := "2025-01-01")').since == "2025-01-01"
    assert parse_deprecated('deprecated "gone" (since := "2024")').target is None
    assert parse_deprecated("deprecated Foo.bar").target == "Foo.bar"


def test_instances_named_and_anonymous() -> None:
    result = parse_file(
        textwrap.dedent("""
        instance (priority := 100) instFoo : Inhabited Nat := ⟨0⟩
        instance : Inhabited Int := ⟨0⟩
        instance [Inhabited α] : Inhabited (List α) := ⟨[]⟩
        """),
        "I.lean",
    )
    assert [d.name for d in result.declarations] == ["instFoo"]
    assert result.anonymous_instances == 2


def test_inductive_constructors_and_class_inductive() -> None:
    ds = decls("""
        inductive Color
          | red
          | green (shade : Nat) : Color
          deriving DecidableEq
        class inductive Good : Prop
        | yes : Good
        """)
    assert ds["Color.green"].kind == "constructor"
    assert ds["Color.green"].signature == "(shade : Nat) : Color"
    assert ds["Good"].kind == "class inductive" and "Good.yes" in ds


def test_ext_mk_iff_and_irreducible_def() -> None:
    ds = decls("""
        @[ext, mk_iff] structure S where
          a : Nat
        irreducible_def c : Nat := 3
        """)
    assert {"S.ext", "S.ext_iff", "s_iff", "c", "c_def"} <= set(ds)
    assert ds["c"].kind == "irreducible_def"


def test_references_skip_locals_bound_names_and_tactics() -> None:
    d = decls("""
        theorem t {s : Set Nat} (f : Nat → Nat) (h : ∀ x ∈ s, f x = x := by simp)
            (hs : {y | y ∈ s}.Nonempty) : ∑ i ∈ Finset.range 3, f i = ∃ z, z = f 0 := sorry
        """)["t"]
    assert d.references == ["Set", "Nat", "Finset.range"]


def test_notation_tokens_are_recorded() -> None:
    result = parse_file(
        textwrap.dedent("""
        notation "π" => Real.pi
        scoped[Matrix] notation "SL(" n ", " R ")" => Matrix.SpecialLinearGroup (Fin n) R
        """),
        "N.lean",
    )
    assert result.notations["π"] == "Real.pi"
    assert "SL" in result.notations


def test_comments_and_strings_do_not_confuse_the_parser() -> None:
    ds = decls("""
        /- theorem commented : True := trivial -/
        -- theorem also_commented : True := trivial
        def s : String := "theorem in_string : True := trivial"
        def c : Char := '"'
        theorem real : True := trivial
        """)
    assert set(ds) == {"s", "c", "real"}


def test_unparseable_file_warns_and_keeps_what_it_read() -> None:
    result = parse_file(
        textwrap.dedent("""
        theorem before : True := trivial
        @[simp
        theorem after_bad_attribute : True := trivial
        end Nowhere
        /- unterminated
        """),
        "Bad.lean",
    )
    names = {d.name for d in result.declarations}
    assert "before" in names and "after_bad_attribute" in names
    messages = " ".join(w.message for w in result.warnings)
    assert "unclosed attribute list" in messages
    assert "unterminated comment" in messages
    assert "closes more scopes than are open" in messages
    assert all(w.file == "Bad.lean" and w.line > 0 for w in result.warnings)


def test_a_definition_without_its_type_keeps_its_value() -> None:
    found = decls(
        """
        def Icc (a b : α) :=
          { x | a ≤ x ∧ x ≤ b }
        abbrev succ (n : Nat) := n + 1
        def typed (n : Nat) : Nat := n
        def colonInBinders (s : Set Nat) := s
        def helper (n : Nat) := go n
        where go (k : Nat) : Nat := k
        def long (n : Nat) := [ """
        + ", ".join(["n"] * 200)
        + """ ]
        theorem thm : True := trivial
        """
    )
    assert found["Icc"].value == "{ x | a ≤ x ∧ x ≤ b }"
    assert found["succ"].value == "n + 1"
    assert found["colonInBinders"].value == "s"  # a `:` inside brackets is not the type's
    assert found["typed"].value is None and found["thm"].value is None
    assert found["helper"].value is not None and "where" not in found["helper"].value.split()[:2]
    assert found["long"].value is None  # a program, not a short term
