"""SQLite layout of a knowledge base. Bump `SCHEMA_VERSION` on any change to it.

Version 2: the `notations` table; signatures include the `variable` binders a declaration
uses; `signature_note`; the manifest lists every file of the index with its size. The
`descriptions` table (model-written English, `knowledge_base.descriptions`) was added within
version 2: readers treat an index without it as having no descriptions; so were the
notations' `fixity` and `precedence` (an index without them declares no operators), their
`follows` and the `definition_values` table (an index without them knows neither)."""

SCHEMA_VERSION = 2
DB_FILE = "kb.sqlite"
MANIFEST_FILE = "manifest.json"

DDL = """
CREATE TABLE contexts (
    id INTEGER PRIMARY KEY,
    opens TEXT NOT NULL,       -- JSON list of `open` specs in effect
    variables TEXT NOT NULL    -- JSON list of `variable` binder groups in scope
);
CREATE TABLE modules (
    name TEXT PRIMARY KEY,
    root TEXT NOT NULL,
    file TEXT NOT NULL,
    imports TEXT NOT NULL,     -- JSON list
    docstring TEXT             -- module docstrings (`/-! -/`), joined
);
CREATE TABLE declarations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    last TEXT NOT NULL,        -- last name component, for suggestions
    kind TEXT NOT NULL,
    module TEXT NOT NULL,
    root TEXT NOT NULL,
    file TEXT NOT NULL,
    line_start INTEGER NOT NULL,
    line_end INTEGER NOT NULL,
    namespace TEXT NOT NULL,
    modifiers TEXT NOT NULL,   -- JSON list
    attributes TEXT NOT NULL,  -- JSON list
    docstring TEXT,
    signature TEXT NOT NULL,
    context_id INTEGER REFERENCES contexts(id),
    refs TEXT NOT NULL,        -- JSON list of identifiers as written in the signature
    origin TEXT NOT NULL,
    generated_from TEXT,
    alias_of TEXT,
    deprecated INTEGER NOT NULL DEFAULT 0,
    deprecated_target TEXT,
    deprecated_since TEXT,
    deprecated_message TEXT,
    is_private INTEGER NOT NULL,
    is_protected INTEGER NOT NULL,
    domain TEXT NOT NULL,
    in_degree INTEGER NOT NULL DEFAULT 0,
    signature_note TEXT        -- why `signature` is not what Lean shows (see indexer.additive)
);
CREATE TABLE dependencies (
    src INTEGER NOT NULL,      -- declarations.id whose signature mentions ...
    dst INTEGER NOT NULL,      -- ... this declaration
    PRIMARY KEY (src, dst)
) WITHOUT ROWID;
CREATE TABLE renames (
    old TEXT PRIMARY KEY,
    new TEXT NOT NULL,         -- '' when the name was removed with no replacement
    since TEXT,
    source TEXT NOT NULL,      -- 'deprecated alias @ <commit>', 'renamed @ <commit>', ...
    message TEXT               -- deprecation message, if any
);
CREATE TABLE concepts (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    source TEXT NOT NULL,      -- 'undergrad', 'overview', '100', '1000', 'definition'
    topic TEXT NOT NULL,       -- topic path in the curated list, or the domain
    group_key TEXT,            -- polymorphic concept group (Group, AddGroup, Subgroup -> group)
    domain TEXT NOT NULL
);
CREATE TABLE concept_members (
    concept_id INTEGER NOT NULL REFERENCES concepts(id),
    name TEXT NOT NULL,        -- as written in the list
    decl_id INTEGER            -- declarations.id once resolved
);
CREATE TABLE notations (
    token TEXT NOT NULL,       -- what the notation adds to Lean's token table (`π`, `line[`)
    kind TEXT NOT NULL,        -- notation | notation3 | infix... | macro | syntax
    namespace TEXT NOT NULL,   -- where it was declared (for `scoped`: what opening brings it)
    scope TEXT NOT NULL,       -- global | scoped | local
    head TEXT,                 -- the constant it stands for, when readable
    module TEXT NOT NULL,
    fixity TEXT,               -- infixl | infixr | infix | prefix | postfix, for an operator
    precedence INTEGER,        -- that operator's (`infixl:65` -> 65)
    follows TEXT               -- the token the notation writes next (`[MOD` after `≡`)
);
CREATE TABLE warnings (
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    message TEXT NOT NULL
);
"""

DESCRIPTIONS_DDL = """
CREATE TABLE IF NOT EXISTS descriptions (
    decl_id INTEGER PRIMARY KEY,   -- declarations.id
    text TEXT NOT NULL,
    model TEXT NOT NULL,           -- the backend identity that wrote it
    key TEXT NOT NULL              -- hash of the prompt it answered (the cache key)
);
"""
DDL += DESCRIPTIONS_DDL

DDL += """
CREATE TABLE definition_values (
    decl_id INTEGER PRIMARY KEY,   -- declarations.id of a definition written without its type
    value TEXT NOT NULL            -- its value, what Lean infers the type from (`{x | a ≤ x}`)
);
"""

INDEXES = """
CREATE INDEX declarations_name ON declarations(name);
CREATE INDEX declarations_last ON declarations(last);
CREATE INDEX declarations_kind ON declarations(kind);
CREATE INDEX declarations_module ON declarations(module);
CREATE INDEX dependencies_dst ON dependencies(dst);
CREATE INDEX concepts_group ON concepts(group_key);
CREATE INDEX concept_members_decl ON concept_members(decl_id);
CREATE INDEX notations_token ON notations(token);
"""
