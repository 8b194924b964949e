"""Three versions of a Mathlib file: a class renamed, lemmas deprecated, one removed."""

V1 = """
/-- `IsROrC K` says `K` is the real or the complex numbers. -/
class IsROrC (K : Type) where
  re : K → K

namespace IsROrC
theorem re_add (K : Type) [IsROrC K] : True := trivial
end IsROrC

theorem old_lemma : True := trivial
@[deprecated "no longer needed" (since := "2024-01-10")]
theorem doomed : True := trivial
"""
V2 = """
/-- `IsROrC K` says `K` is the real or the complex numbers. -/
class RCLike (K : Type) where
  re : K → K

namespace RCLike
theorem re_add (K : Type) [RCLike K] : True := trivial
end RCLike

theorem new_lemma : True := trivial
@[deprecated (since := "2024-02-01")] alias old_lemma := new_lemma
@[deprecated "no longer needed" (since := "2024-01-10")]
theorem doomed : True := trivial
"""
V3 = """
/-- `RCLike K` says `K` is the real or the complex numbers. -/
class RCLike (K : Type) where
  re : K → K

namespace RCLike
theorem re_add (K : Type) [RCLike K] : True := trivial
end RCLike

theorem newer_lemma : True := trivial
@[deprecated (since := "2024-03-01")] alias new_lemma := newer_lemma
"""
