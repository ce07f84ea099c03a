/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-markdown-renderer"

#include "config.h"

#include <string.h>

#include <md4c.h>

#include "epsimo-markdown-renderer.h"

/* A plain paragraph is cut at the next line start once it is this long (bytes). */
#define PARAGRAPH_SPLIT 2048
/* ...and its continuations at a quarter of that: a streamed paragraph without blank lines
 * (a long reply) keeps growing its last label, which is laid out again (text shaping, for
 * each width GTK measures it at) on every frame. */
#define PARAGRAPH_SPLIT_CONTINUED 512

/* MD_FLAG_NOHTML: replies are shown, never interpreted, so raw HTML stays text. */
#define PARSER_FLAGS (MD_DIALECT_GITHUB | MD_FLAG_NOHTML)

/* Block */

typedef struct
{
  char  *markup;
  char  *marker;
  guint  depth;
} ListItem;

struct _EpsimoMarkdownBlock
{
  gatomicrefcount          ref_count;
  EpsimoMarkdownBlockKind  kind;
  guint                    level;
  gboolean                 continuation;
  gboolean                 expanded;
  char                    *markup;
  char                    *code;
  char                    *language;
  GPtrArray               *items;     /* ListItem */
  guint                    n_columns;
  guint                    n_header_rows;
  GPtrArray               *cells;     /* char*, row-major */
  GArray                  *xaligns;   /* float per column */
};

G_DEFINE_BOXED_TYPE (EpsimoMarkdownBlock, epsimo_markdown_block,
                     epsimo_markdown_block_ref, epsimo_markdown_block_unref)

static void
list_item_free (ListItem *item)
{
  g_free (item->markup);
  g_free (item->marker);
  g_free (item);
}

static EpsimoMarkdownBlock *
block_new (EpsimoMarkdownBlockKind kind)
{
  EpsimoMarkdownBlock *self = g_new0 (EpsimoMarkdownBlock, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  return self;
}

EpsimoMarkdownBlock *
epsimo_markdown_block_ref (EpsimoMarkdownBlock *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
epsimo_markdown_block_unref (EpsimoMarkdownBlock *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->markup);
  g_free (self->code);
  g_free (self->language);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->cells, g_ptr_array_unref);
  g_clear_pointer (&self->xaligns, g_array_unref);
  g_free (self);
}

EpsimoMarkdownBlockKind
epsimo_markdown_block_get_kind (EpsimoMarkdownBlock *self)
{
  g_return_val_if_fail (self != NULL, EPSIMO_MARKDOWN_BLOCK_PARAGRAPH);

  return self->kind;
}

static gboolean
string_arrays_equal (GPtrArray *a,
                     GPtrArray *b)
{
  guint len_a = a != NULL ? a->len : 0;
  guint len_b = b != NULL ? b->len : 0;

  if (len_a != len_b)
    return FALSE;
  for (guint i = 0; i < len_a; i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

gboolean
epsimo_markdown_block_equal (EpsimoMarkdownBlock *a,
                             EpsimoMarkdownBlock *b)
{
  guint n_items_a, n_items_b;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  if (a->kind != b->kind || a->level != b->level || a->continuation != b->continuation
      || a->n_columns != b->n_columns || a->n_header_rows != b->n_header_rows
      || g_strcmp0 (a->markup, b->markup) != 0 || g_strcmp0 (a->code, b->code) != 0
      || g_strcmp0 (a->language, b->language) != 0 || !string_arrays_equal (a->cells, b->cells))
    return FALSE;

  n_items_a = a->items != NULL ? a->items->len : 0;
  n_items_b = b->items != NULL ? b->items->len : 0;
  if (n_items_a != n_items_b)
    return FALSE;
  for (guint i = 0; i < n_items_a; i++)
    {
      ListItem *ia = g_ptr_array_index (a->items, i);
      ListItem *ib = g_ptr_array_index (b->items, i);

      if (ia->depth != ib->depth || g_strcmp0 (ia->markup, ib->markup) != 0
          || g_strcmp0 (ia->marker, ib->marker) != 0)
        return FALSE;
    }

  if (a->xaligns != NULL && b->xaligns != NULL)
    for (guint i = 0; i < a->xaligns->len && i < b->xaligns->len; i++)
      if (g_array_index (a->xaligns, float, i) != g_array_index (b->xaligns, float, i))
        return FALSE;

  return TRUE;
}

guint
epsimo_markdown_block_get_level (EpsimoMarkdownBlock *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->level;
}

const char *
epsimo_markdown_block_get_markup (EpsimoMarkdownBlock *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->markup;
}

gboolean
epsimo_markdown_block_get_continuation (EpsimoMarkdownBlock *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->continuation;
}

const char *
epsimo_markdown_block_get_code (EpsimoMarkdownBlock *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->code;
}

const char *
epsimo_markdown_block_get_language (EpsimoMarkdownBlock *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->language;
}

guint
epsimo_markdown_block_get_n_items (EpsimoMarkdownBlock *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->items != NULL ? self->items->len : 0;
}

static ListItem *
get_item (EpsimoMarkdownBlock *self,
          guint                item)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->items != NULL && item < self->items->len, NULL);

  return g_ptr_array_index (self->items, item);
}

const char *
epsimo_markdown_block_get_item_markup (EpsimoMarkdownBlock *self,
                                       guint                item)
{
  ListItem *li = get_item (self, item);

  return li != NULL ? li->markup : NULL;
}

const char *
epsimo_markdown_block_get_item_marker (EpsimoMarkdownBlock *self,
                                       guint                item)
{
  ListItem *li = get_item (self, item);

  return li != NULL ? li->marker : NULL;
}

guint
epsimo_markdown_block_get_item_depth (EpsimoMarkdownBlock *self,
                                      guint                item)
{
  ListItem *li = get_item (self, item);

  return li != NULL ? li->depth : 0;
}

guint
epsimo_markdown_block_get_n_rows (EpsimoMarkdownBlock *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->cells == NULL || self->n_columns == 0)
    return 0;
  return self->cells->len / self->n_columns;
}

guint
epsimo_markdown_block_get_n_columns (EpsimoMarkdownBlock *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_columns;
}

guint
epsimo_markdown_block_get_n_header_rows (EpsimoMarkdownBlock *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_header_rows;
}

const char *
epsimo_markdown_block_get_cell_markup (EpsimoMarkdownBlock *self,
                                       guint                row,
                                       guint                column)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);
  g_return_val_if_fail (row < epsimo_markdown_block_get_n_rows (self), NULL);

  return g_ptr_array_index (self->cells, row * self->n_columns + column);
}

float
epsimo_markdown_block_get_column_xalign (EpsimoMarkdownBlock *self,
                                         guint                column)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->xaligns == NULL || column >= self->xaligns->len)
    return 0;
  return g_array_index (self->xaligns, float, column);
}

gboolean
epsimo_markdown_block_get_expanded (EpsimoMarkdownBlock *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->expanded;
}

void
epsimo_markdown_block_set_expanded (EpsimoMarkdownBlock *self,
                                    gboolean             expanded)
{
  g_return_if_fail (self != NULL);

  self->expanded = !!expanded;
}

/* Inline text */

static void
append_escaped (GString    *out,
                const char *text,
                gsize       len)
{
  const char *end = text + len;

  for (const char *p = text; p < end; p++)
    {
      switch (*p)
        {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '\t':
        case '\n':
          g_string_append_c (out, *p);
          break;
        default:
          /* Control characters are not allowed in markup: drop them. */
          if ((guchar) *p >= 0x20 && *p != 0x7f)
            g_string_append_c (out, *p);
          break;
        }
    }
}

static const struct
{
  const char *name;
  const char *text;
} named_entities[] = {
  { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
  { "nbsp", "\xc2\xa0" }, { "copy", "©" }, { "reg", "®" }, { "trade", "™" },
  { "hellip", "…" }, { "mdash", "—" }, { "ndash", "–" }, { "laquo", "«" },
  { "raquo", "»" }, { "lsquo", "‘" }, { "rsquo", "’" }, { "ldquo", "“" },
  { "rdquo", "”" }, { "deg", "°" }, { "middot", "·" }, { "times", "×" },
  { "divide", "÷" }, { "euro", "€" }, { "bull", "•" }, { "larr", "←" },
  { "rarr", "→" }, { "uarr", "↑" }, { "darr", "↓" },
};

/* Appends the character an entity (`&amp;`, `&#123;`, `&#x1F600;`) stands for, unescaped. */
static void
append_entity (GString    *out,
               const char *text,
               gsize       len)
{
  if (len >= 4 && text[1] == '#')
    {
      gboolean hex = text[2] == 'x' || text[2] == 'X';
      g_autofree char *digits = g_strndup (text + (hex ? 3 : 2), len - (hex ? 4 : 3));
      guint64 value = g_ascii_strtoull (digits, NULL, hex ? 16 : 10);
      gunichar c = value > 0 && value <= 0x10FFFF && g_unichar_validate ((gunichar) value)
                   ? (gunichar) value : 0xFFFD;

      g_string_append_unichar (out, c);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (named_entities); i++)
    {
      gsize name_len = strlen (named_entities[i].name);

      if (len == name_len + 2 && strncmp (text + 1, named_entities[i].name, name_len) == 0)
        {
          g_string_append (out, named_entities[i].text);
          return;
        }
    }

  g_string_append_len (out, text, len);
}

/* The text of an attribute (a link's address), entities resolved; not escaped. */
static char *
attribute_text (const MD_ATTRIBUTE *attr)
{
  GString *out = g_string_new (NULL);

  if (attr->text == NULL || attr->size == 0)
    return g_string_free (out, FALSE);

  for (guint i = 0; attr->substr_offsets[i] < attr->size; i++)
    {
      MD_OFFSET start = attr->substr_offsets[i];
      MD_OFFSET end = attr->substr_offsets[i + 1];

      switch (attr->substr_types[i])
        {
        case MD_TEXT_ENTITY:
          append_entity (out, attr->text + start, end - start);
          break;
        case MD_TEXT_NULLCHAR:
          g_string_append (out, "\xef\xbf\xbd");
          break;
        default:
          g_string_append_len (out, attr->text + start, end - start);
          break;
        }
    }

  return g_string_free (out, FALSE);
}

static gboolean
link_is_safe (const char *href)
{
  g_autofree char *scheme = g_uri_parse_scheme (href);

  /* Only what a browser or mail client should open: no file:, no custom handlers. */
  return scheme != NULL
         && (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0
             || g_ascii_strcasecmp (scheme, "mailto") == 0);
}

/* Parsing one segment */

typedef struct
{
  gboolean ordered;
  guint    next;
} ListState;

typedef struct
{
  GPtrArray           *out;
  guint                first;         /* the first block of this segment in @out */
  gboolean             continuation;
  guint                depth;         /* open blocks, the document included */
  EpsimoMarkdownBlock *block;         /* the top-level block being built */
  GString             *text;          /* its markup (paragraph, heading, quote) */
  GString             *code;          /* its code (code block) */
  GString             *inl;           /* where inline markup goes now, or NULL */
  GArray              *lists;         /* ListState, innermost last */
  ListItem            *item;          /* the list item being filled */
  GString             *item_text;
  GString             *cell;
  guint                row_cells;
  gboolean             in_head;
  GPtrArray           *closers;       /* the closing tag of each open span */
} ParseContext;

static const char *
bullet_for_depth (guint depth)
{
  static const char *const bullets[] = { "•", "◦", "▪" };

  return bullets[depth % G_N_ELEMENTS (bullets)];
}

static void
finish_item (ParseContext *ctx)
{
  if (ctx->item == NULL)
    return;

  while (ctx->item_text->len > 0 && g_ascii_isspace (ctx->item_text->str[ctx->item_text->len - 1]))
    g_string_truncate (ctx->item_text, ctx->item_text->len - 1);
  ctx->item->markup = g_strndup (ctx->item_text->str, ctx->item_text->len);
  g_ptr_array_add (ctx->block->items, ctx->item);
  ctx->item = NULL;
  ctx->inl = NULL;
}

static void
start_item (ParseContext *ctx,
            const char   *marker)
{
  finish_item (ctx);
  ctx->item = g_new0 (ListItem, 1);
  ctx->item->marker = g_strdup (marker);
  ctx->item->depth = ctx->lists->len > 0 ? ctx->lists->len - 1 : 0;
  g_string_truncate (ctx->item_text, 0);
  ctx->inl = ctx->item_text;
}

/* Content of an item after a nested list (a later paragraph of the same item) gets an
 * item of its own without a marker. */
static void
ensure_item (ParseContext *ctx)
{
  if (ctx->item == NULL)
    start_item (ctx, "");
  ctx->inl = ctx->item_text;
}

static void
separate (GString    *out,
          const char *separator)
{
  if (out != NULL && out->len > 0)
    g_string_append (out, separator);
}

static void
start_top_block (ParseContext *ctx,
                 MD_BLOCKTYPE  type,
                 void         *detail)
{
  EpsimoMarkdownBlockKind kind;

  switch (type)
    {
    case MD_BLOCK_H:
      kind = EPSIMO_MARKDOWN_BLOCK_HEADING;
      break;
    case MD_BLOCK_CODE:
      kind = EPSIMO_MARKDOWN_BLOCK_CODE;
      break;
    case MD_BLOCK_HR:
      kind = EPSIMO_MARKDOWN_BLOCK_RULE;
      break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      kind = EPSIMO_MARKDOWN_BLOCK_LIST;
      break;
    case MD_BLOCK_QUOTE:
      kind = EPSIMO_MARKDOWN_BLOCK_QUOTE;
      break;
    case MD_BLOCK_TABLE:
      kind = EPSIMO_MARKDOWN_BLOCK_TABLE;
      break;
    default:
      kind = EPSIMO_MARKDOWN_BLOCK_PARAGRAPH;
      break;
    }

  ctx->block = block_new (kind);
  g_string_truncate (ctx->text, 0);
  g_string_truncate (ctx->code, 0);
  ctx->inl = NULL;

  if (ctx->continuation && ctx->out->len == ctx->first && kind == EPSIMO_MARKDOWN_BLOCK_PARAGRAPH)
    ctx->block->continuation = TRUE;

  switch (kind)
    {
    case EPSIMO_MARKDOWN_BLOCK_HEADING:
      ctx->block->level = CLAMP (((MD_BLOCK_H_DETAIL *) detail)->level, 1, 6);
      ctx->inl = ctx->text;
      break;

    case EPSIMO_MARKDOWN_BLOCK_CODE:
      {
        MD_BLOCK_CODE_DETAIL *code = detail;
        g_autofree char *lang = attribute_text (&code->lang);

        if (*lang != '\0')
          ctx->block->language = g_steal_pointer (&lang);
      }
      break;

    case EPSIMO_MARKDOWN_BLOCK_LIST:
      {
        ListState state = { type == MD_BLOCK_OL, 1 };

        if (state.ordered)
          state.next = ((MD_BLOCK_OL_DETAIL *) detail)->start;
        g_array_append_val (ctx->lists, state);
        ctx->block->items = g_ptr_array_new_with_free_func ((GDestroyNotify) list_item_free);
      }
      break;

    case EPSIMO_MARKDOWN_BLOCK_TABLE:
      ctx->block->n_columns = MAX (((MD_BLOCK_TABLE_DETAIL *) detail)->col_count, 1);
      ctx->block->cells = g_ptr_array_new_with_free_func (g_free);
      ctx->block->xaligns = g_array_new (FALSE, TRUE, sizeof (float));
      g_array_set_size (ctx->block->xaligns, ctx->block->n_columns);
      break;

    case EPSIMO_MARKDOWN_BLOCK_RULE:
      break;

    case EPSIMO_MARKDOWN_BLOCK_PARAGRAPH:
    case EPSIMO_MARKDOWN_BLOCK_QUOTE:
    default:
      ctx->inl = ctx->text;
      break;
    }
}

static char *
strip_trailing_space (GString *text)
{
  while (text->len > 0 && g_ascii_isspace (text->str[text->len - 1]))
    g_string_truncate (text, text->len - 1);
  return g_strndup (text->str, text->len);
}

static void
finish_top_block (ParseContext *ctx)
{
  EpsimoMarkdownBlock *block = ctx->block;

  switch (block->kind)
    {
    case EPSIMO_MARKDOWN_BLOCK_CODE:
      if (ctx->code->len > 0 && ctx->code->str[ctx->code->len - 1] == '\n')
        g_string_truncate (ctx->code, ctx->code->len - 1);
      block->code = g_strndup (ctx->code->str, ctx->code->len);
      break;

    case EPSIMO_MARKDOWN_BLOCK_LIST:
      finish_item (ctx);
      g_array_set_size (ctx->lists, 0);
      break;

    case EPSIMO_MARKDOWN_BLOCK_TABLE:
    case EPSIMO_MARKDOWN_BLOCK_RULE:
      break;

    case EPSIMO_MARKDOWN_BLOCK_PARAGRAPH:
    case EPSIMO_MARKDOWN_BLOCK_HEADING:
    case EPSIMO_MARKDOWN_BLOCK_QUOTE:
    default:
      block->markup = strip_trailing_space (ctx->text);
      break;
    }

  g_ptr_array_add (ctx->out, g_steal_pointer (&ctx->block));
  ctx->inl = NULL;
}

static void
enter_list_child (ParseContext *ctx,
                  MD_BLOCKTYPE  type,
                  void         *detail)
{
  switch (type)
    {
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      {
        ListState state = { type == MD_BLOCK_OL, 1 };

        if (state.ordered)
          state.next = ((MD_BLOCK_OL_DETAIL *) detail)->start;
        /* The parent item ends where its nested list begins. */
        finish_item (ctx);
        g_array_append_val (ctx->lists, state);
      }
      break;

    case MD_BLOCK_LI:
      {
        MD_BLOCK_LI_DETAIL *li = detail;
        ListState *state = &g_array_index (ctx->lists, ListState, ctx->lists->len - 1);
        g_autofree char *number = NULL;
        const char *marker;

        if (li->is_task)
          marker = li->task_mark == ' ' ? "☐" : "☑";
        else if (state->ordered)
          marker = number = g_strdup_printf ("%u.", state->next);
        else
          marker = bullet_for_depth (ctx->lists->len - 1);
        state->next++;
        start_item (ctx, marker);
      }
      break;

    case MD_BLOCK_P:
    case MD_BLOCK_H:
    case MD_BLOCK_HTML:
    case MD_BLOCK_QUOTE:
    case MD_BLOCK_HR:
    case MD_BLOCK_TABLE:
      ensure_item (ctx);
      separate (ctx->inl, "\n");
      break;

    case MD_BLOCK_CODE:
      ensure_item (ctx);
      separate (ctx->inl, "\n");
      g_string_append (ctx->inl, "<tt>");
      break;

    case MD_BLOCK_TR:
      ensure_item (ctx);
      separate (ctx->inl, "\n");
      break;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      ensure_item (ctx);
      separate (ctx->inl, "  ");
      break;

    case MD_BLOCK_DOC:
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
    default:
      break;
    }
}

static void
enter_quote_child (ParseContext *ctx,
                   MD_BLOCKTYPE  type,
                   void         *detail)
{
  switch (type)
    {
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      {
        ListState state = { type == MD_BLOCK_OL, 1 };

        if (state.ordered)
          state.next = ((MD_BLOCK_OL_DETAIL *) detail)->start;
        g_array_append_val (ctx->lists, state);
      }
      break;

    case MD_BLOCK_LI:
      {
        ListState *state = &g_array_index (ctx->lists, ListState, ctx->lists->len - 1);

        separate (ctx->text, "\n");
        for (guint i = 1; i < ctx->lists->len; i++)
          g_string_append (ctx->text, "    ");
        if (state->ordered)
          g_string_append_printf (ctx->text, "%u. ", state->next);
        else
          g_string_append_printf (ctx->text, "%s ", bullet_for_depth (ctx->lists->len - 1));
        state->next++;
      }
      break;

    case MD_BLOCK_P:
    case MD_BLOCK_H:
    case MD_BLOCK_HTML:
    case MD_BLOCK_TABLE:
    case MD_BLOCK_HR:
      /* A paragraph right inside an item continues the item's line. */
      if (ctx->lists->len == 0)
        separate (ctx->text, "\n\n");
      break;

    case MD_BLOCK_CODE:
      separate (ctx->text, "\n");
      g_string_append (ctx->text, "<tt>");
      break;

    case MD_BLOCK_TR:
      separate (ctx->text, "\n");
      break;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      g_string_append (ctx->text, "  ");
      break;

    case MD_BLOCK_DOC:
    case MD_BLOCK_QUOTE:
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
    default:
      break;
    }
}

static void
enter_table_child (ParseContext *ctx,
                   MD_BLOCKTYPE  type,
                   void         *detail)
{
  EpsimoMarkdownBlock *block = ctx->block;

  switch (type)
    {
    case MD_BLOCK_THEAD:
      ctx->in_head = TRUE;
      break;

    case MD_BLOCK_TBODY:
      ctx->in_head = FALSE;
      break;

    case MD_BLOCK_TR:
      ctx->row_cells = 0;
      break;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      if (ctx->in_head && ctx->row_cells < block->n_columns)
        {
          float xalign = 0;

          switch (((MD_BLOCK_TD_DETAIL *) detail)->align)
            {
            case MD_ALIGN_CENTER:
              xalign = 0.5f;
              break;
            case MD_ALIGN_RIGHT:
              xalign = 1.0f;
              break;
            case MD_ALIGN_DEFAULT:
            case MD_ALIGN_LEFT:
            default:
              break;
            }
          g_array_index (block->xaligns, float, ctx->row_cells) = xalign;
        }
      g_string_truncate (ctx->cell, 0);
      ctx->inl = ctx->cell;
      break;

    case MD_BLOCK_DOC:
    default:
      /* Anything else inside a cell is inline text already. */
      break;
    }
}

/* Spans never cross a block boundary, but md4c 0.4 can leave one open (emphasis around a
 * permissive autolink: `*http://a.b*` enters <i> and never leaves it), up to the end of its
 * block or the start of a list nested in a tight item. Closing what is still open at every
 * block boundary keeps the Pango markup well formed, or the whole block shows blank. */
static void
close_open_spans (ParseContext *ctx)
{
  while (ctx->closers->len > 0)
    {
      const char *closer = g_ptr_array_steal_index (ctx->closers, ctx->closers->len - 1);

      if (ctx->inl != NULL)
        g_string_append (ctx->inl, closer);
    }
}

static int
on_enter_block (MD_BLOCKTYPE  type,
                void         *detail,
                void         *user_data)
{
  ParseContext *ctx = user_data;

  close_open_spans (ctx);
  if (type == MD_BLOCK_DOC)
    {
      ctx->depth++;
      return 0;
    }

  if (ctx->depth == 1)
    start_top_block (ctx, type, detail);
  else
    switch (ctx->block->kind)
      {
      case EPSIMO_MARKDOWN_BLOCK_LIST:
        enter_list_child (ctx, type, detail);
        break;
      case EPSIMO_MARKDOWN_BLOCK_QUOTE:
        enter_quote_child (ctx, type, detail);
        break;
      case EPSIMO_MARKDOWN_BLOCK_TABLE:
        enter_table_child (ctx, type, detail);
        break;
      case EPSIMO_MARKDOWN_BLOCK_PARAGRAPH:
      case EPSIMO_MARKDOWN_BLOCK_HEADING:
      case EPSIMO_MARKDOWN_BLOCK_CODE:
      case EPSIMO_MARKDOWN_BLOCK_RULE:
      default:
        break;
      }

  ctx->depth++;
  return 0;
}

static int
on_leave_block (MD_BLOCKTYPE  type,
                void         *detail,
                void         *user_data)
{
  ParseContext *ctx = user_data;

  close_open_spans (ctx);
  ctx->depth--;
  if (type == MD_BLOCK_DOC)
    return 0;

  if (ctx->depth == 1)
    {
      finish_top_block (ctx);
      return 0;
    }

  switch (ctx->block->kind)
    {
    case EPSIMO_MARKDOWN_BLOCK_LIST:
      if (type == MD_BLOCK_LI)
        finish_item (ctx);
      else if (type == MD_BLOCK_UL || type == MD_BLOCK_OL)
        g_array_set_size (ctx->lists, ctx->lists->len - 1);
      else if (type == MD_BLOCK_CODE && ctx->inl != NULL)
        {
          while (ctx->inl->len > 0 && ctx->inl->str[ctx->inl->len - 1] == '\n')
            g_string_truncate (ctx->inl, ctx->inl->len - 1);
          g_string_append (ctx->inl, "</tt>");
        }
      break;

    case EPSIMO_MARKDOWN_BLOCK_QUOTE:
      if (type == MD_BLOCK_UL || type == MD_BLOCK_OL)
        g_array_set_size (ctx->lists, ctx->lists->len - 1);
      else if (type == MD_BLOCK_CODE)
        {
          while (ctx->text->len > 0 && ctx->text->str[ctx->text->len - 1] == '\n')
            g_string_truncate (ctx->text, ctx->text->len - 1);
          g_string_append (ctx->text, "</tt>");
        }
      break;

    case EPSIMO_MARKDOWN_BLOCK_TABLE:
      if (type == MD_BLOCK_TH || type == MD_BLOCK_TD)
        {
          if (ctx->row_cells < ctx->block->n_columns)
            g_ptr_array_add (ctx->block->cells, strip_trailing_space (ctx->cell));
          ctx->row_cells++;
          ctx->inl = NULL;
        }
      else if (type == MD_BLOCK_TR)
        {
          /* Every row gets exactly n_columns cells. */
          for (; ctx->row_cells < ctx->block->n_columns; ctx->row_cells++)
            g_ptr_array_add (ctx->block->cells, g_strdup (""));
          if (ctx->in_head)
            ctx->block->n_header_rows++;
        }
      break;

    case EPSIMO_MARKDOWN_BLOCK_PARAGRAPH:
    case EPSIMO_MARKDOWN_BLOCK_HEADING:
    case EPSIMO_MARKDOWN_BLOCK_CODE:
    case EPSIMO_MARKDOWN_BLOCK_RULE:
    default:
      break;
    }

  return 0;
}

static int
on_enter_span (MD_SPANTYPE  type,
               void        *detail,
               void        *user_data)
{
  ParseContext *ctx = user_data;
  const char *closer = "";

  if (ctx->inl == NULL)
    {
      g_ptr_array_add (ctx->closers, (gpointer) closer);
      return 0;
    }

  switch (type)
    {
    case MD_SPAN_EM:
      g_string_append (ctx->inl, "<i>");
      closer = "</i>";
      break;

    case MD_SPAN_STRONG:
      g_string_append (ctx->inl, "<b>");
      closer = "</b>";
      break;

    case MD_SPAN_DEL:
      g_string_append (ctx->inl, "<s>");
      closer = "</s>";
      break;

    case MD_SPAN_U:
      g_string_append (ctx->inl, "<u>");
      closer = "</u>";
      break;

    case MD_SPAN_CODE:
      /* A grey at low opacity reads as a tint on both light and dark backgrounds. */
      g_string_append (ctx->inl,
                       "<span font_family=\"monospace\" bgcolor=\"#808080\" bgalpha=\"20%\">");
      closer = "</span>";
      break;

    case MD_SPAN_A:
    case MD_SPAN_IMG:
      {
        const MD_ATTRIBUTE *href = type == MD_SPAN_A ? &((MD_SPAN_A_DETAIL *) detail)->href
                                                     : &((MD_SPAN_IMG_DETAIL *) detail)->src;
        const MD_ATTRIBUTE *title = type == MD_SPAN_A ? &((MD_SPAN_A_DETAIL *) detail)->title
                                                      : &((MD_SPAN_IMG_DETAIL *) detail)->title;
        g_autofree char *url = attribute_text (href);
        g_autofree char *tip = attribute_text (title);

        /* A bare www. autolink has no scheme. */
        if (g_ascii_strncasecmp (url, "www.", 4) == 0)
          {
            char *full = g_strconcat ("http://", url, NULL);

            g_free (url);
            url = full;
          }

        if (link_is_safe (url))
          {
            g_autofree char *escaped_url = g_markup_escape_text (url, -1);

            g_string_append_printf (ctx->inl, "<a href=\"%s\"", escaped_url);
            if (*tip != '\0')
              {
                g_autofree char *escaped_tip = g_markup_escape_text (tip, -1);

                g_string_append_printf (ctx->inl, " title=\"%s\"", escaped_tip);
              }
            g_string_append_c (ctx->inl, '>');
            closer = "</a>";
          }
      }
      break;

    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
    case MD_SPAN_WIKILINK:
    default:
      break;
    }

  g_ptr_array_add (ctx->closers, (gpointer) closer);
  return 0;
}

static int
on_leave_span (MD_SPANTYPE  type,
               void        *detail,
               void        *user_data)
{
  ParseContext *ctx = user_data;
  const char *closer;

  if (ctx->closers->len == 0)
    return 0;

  closer = g_ptr_array_steal_index (ctx->closers, ctx->closers->len - 1);
  if (ctx->inl != NULL)
    g_string_append (ctx->inl, closer);
  return 0;
}

static int
on_text (MD_TEXTTYPE     type,
         const MD_CHAR  *text,
         MD_SIZE         size,
         void           *user_data)
{
  ParseContext *ctx = user_data;

  if (ctx->block != NULL && ctx->block->kind == EPSIMO_MARKDOWN_BLOCK_CODE)
    {
      g_string_append_len (ctx->code, text, size);
      return 0;
    }

  if (ctx->inl == NULL)
    return 0;

  switch (type)
    {
    case MD_TEXT_NULLCHAR:
      g_string_append (ctx->inl, "\xef\xbf\xbd");
      break;

    case MD_TEXT_BR:
      g_string_append_c (ctx->inl, '\n');
      break;

    case MD_TEXT_SOFTBR:
      g_string_append_c (ctx->inl, ' ');
      break;

    case MD_TEXT_ENTITY:
      {
        g_autoptr(GString) plain = g_string_new (NULL);

        append_entity (plain, text, size);
        append_escaped (ctx->inl, plain->str, plain->len);
      }
      break;

    case MD_TEXT_NORMAL:
    case MD_TEXT_CODE:
    case MD_TEXT_HTML:
    case MD_TEXT_LATEXMATH:
    default:
      append_escaped (ctx->inl, text, size);
      break;
    }

  return 0;
}

/* Renders @len bytes of @text as a document of its own, appending its blocks to @out. */
static void
parse_segment (const char *text,
               gsize       len,
               gboolean    continuation,
               GPtrArray  *out)
{
  static const MD_PARSER parser = {
    .abi_version = 0,
    .flags = PARSER_FLAGS,
    .enter_block = on_enter_block,
    .leave_block = on_leave_block,
    .enter_span = on_enter_span,
    .leave_span = on_leave_span,
    .text = on_text,
  };
  ParseContext ctx = { 0 };

  if (len == 0)
    return;

  ctx.out = out;
  ctx.first = out->len;
  ctx.continuation = continuation;
  ctx.text = g_string_new (NULL);
  ctx.code = g_string_new (NULL);
  ctx.item_text = g_string_new (NULL);
  ctx.cell = g_string_new (NULL);
  ctx.lists = g_array_new (FALSE, FALSE, sizeof (ListState));
  ctx.closers = g_ptr_array_new ();

  /* The output is never partial: md4c only fails on memory exhaustion, and whatever
   * it has built until then is shown. */
  if (md_parse (text, (MD_SIZE) MIN (len, G_MAXUINT), &parser, &ctx) != 0)
    g_debug ("md4c stopped early");

  if (ctx.block != NULL)
    {
      if (ctx.item != NULL)
        list_item_free (ctx.item);
      epsimo_markdown_block_unref (ctx.block);
    }
  g_string_free (ctx.text, TRUE);
  g_string_free (ctx.code, TRUE);
  g_string_free (ctx.item_text, TRUE);
  g_string_free (ctx.cell, TRUE);
  g_array_unref (ctx.lists);
  g_ptr_array_unref (ctx.closers);
}

/* Finding where finished blocks end */

static gboolean
line_is_blank (const char *line,
               gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
      return FALSE;
  return TRUE;
}

/* A line that can only continue a paragraph (it opens no block of its own). */
static gboolean
starts_plain_text (const char *line,
                   gsize       len)
{
  guchar first = len > 0 ? (guchar) line[0] : 0;

  return g_ascii_isalpha (first) || first >= 0xC0;
}

/* A code fence: up to three spaces, then three or more backticks or tildes. */
static gboolean
fence_marker (const char *line,
              gsize       len,
              char       *fence_char,
              gsize      *fence_len,
              gboolean   *rest_blank)
{
  gsize i = 0;
  gsize n;
  char c;

  while (i < len && i < 3 && line[i] == ' ')
    i++;
  if (i >= len || (line[i] != '`' && line[i] != '~'))
    return FALSE;

  c = line[i];
  for (n = 0; i + n < len && line[i + n] == c; n++)
    ;
  if (n < 3)
    return FALSE;

  *fence_char = c;
  *fence_len = n;
  *rest_blank = line_is_blank (line + i + n, len - i - n);
  return TRUE;
}

/* The first offset in @text where the blocks before it are finished, or 0. The decision at
 * an offset depends only on the text before it and on the first character after it, so the
 * same text is always cut at the same places however it arrived. */
static gsize
find_commit (const char *text,
             gsize       len,
             gboolean    continues,
             gboolean   *split_paragraph)
{
  gsize split_at = continues ? PARAGRAPH_SPLIT_CONTINUED : PARAGRAPH_SPLIT;
  gsize pos = 0;
  gboolean in_fence = FALSE;
  char open_char = 0;
  gsize open_len = 0;
  gboolean prev_blank = FALSE;
  gboolean seen_content = FALSE;
  gboolean plain = FALSE;

  while (pos < len)
    {
      const char *line = text + pos;
      const char *nl = memchr (line, '\n', len - pos);
      gsize line_len = nl != NULL ? (gsize) (nl - line) : len - pos;
      gboolean blank;

      if (seen_content && !in_fence)
        {
          if (prev_blank && line[0] != ' ' && line[0] != '\t' && line[0] != '\r'
              && line[0] != '\n')
            {
              *split_paragraph = FALSE;
              return pos;
            }

          if (plain && !prev_blank && pos >= split_at && starts_plain_text (line, line_len))
            {
              *split_paragraph = TRUE;
              return pos;
            }
        }

      if (nl == NULL)
        break;

      blank = line_is_blank (line, line_len);
      if (!blank)
        {
          char fence_char;
          gsize fence_len;
          gboolean rest_blank;

          if (!seen_content)
            plain = starts_plain_text (line, line_len);
          else if (!starts_plain_text (line, line_len))
            plain = FALSE;
          seen_content = TRUE;

          if (fence_marker (line, line_len, &fence_char, &fence_len, &rest_blank))
            {
              if (!in_fence)
                {
                  in_fence = TRUE;
                  open_char = fence_char;
                  open_len = fence_len;
                }
              else if (fence_char == open_char && fence_len >= open_len && rest_blank)
                in_fence = FALSE;
            }
          if (in_fence)
            plain = FALSE;
        }

      prev_blank = blank;
      pos += line_len + 1;
    }

  return 0;
}

/* Renderer */

struct _EpsimoMarkdownRenderer
{
  GObject    parent_instance;

  GString   *source;
  gsize      committed;       /* bytes of source whose blocks are final */
  guint      n_committed;     /* those blocks */
  gboolean   tail_continues;  /* the rest continues a paragraph cut for length */
  GPtrArray *blocks;
  gboolean   dirty;
};

G_DEFINE_FINAL_TYPE (EpsimoMarkdownRenderer, epsimo_markdown_renderer, G_TYPE_OBJECT)

enum {
  INVALIDATED,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
epsimo_markdown_renderer_finalize (GObject *object)
{
  EpsimoMarkdownRenderer *self = (EpsimoMarkdownRenderer *)object;

  g_string_free (self->source, TRUE);
  g_ptr_array_unref (self->blocks);

  G_OBJECT_CLASS (epsimo_markdown_renderer_parent_class)->finalize (object);
}

static void
epsimo_markdown_renderer_class_init (EpsimoMarkdownRendererClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = epsimo_markdown_renderer_finalize;

  signals[INVALIDATED] =
    g_signal_new ("invalidated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
}

static void
epsimo_markdown_renderer_init (EpsimoMarkdownRenderer *self)
{
  self->source = g_string_new (NULL);
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) epsimo_markdown_block_unref);
}

EpsimoMarkdownRenderer *
epsimo_markdown_renderer_new (void)
{
  return g_object_new (EPSIMO_TYPE_MARKDOWN_RENDERER, NULL);
}

void
epsimo_markdown_renderer_append (EpsimoMarkdownRenderer *self,
                                 const char             *text,
                                 gssize                  len)
{
  g_return_if_fail (EPSIMO_IS_MARKDOWN_RENDERER (self));
  g_return_if_fail (text != NULL || len == 0);

  if (len < 0)
    len = strlen (text);
  if (len == 0)
    return;

  g_string_append_len (self->source, text, len);
  if (!self->dirty)
    {
      self->dirty = TRUE;
      g_signal_emit (self, signals[INVALIDATED], 0);
    }
}

void
epsimo_markdown_renderer_set_text (EpsimoMarkdownRenderer *self,
                                   const char             *text)
{
  g_return_if_fail (EPSIMO_IS_MARKDOWN_RENDERER (self));

  if (text == NULL)
    text = "";
  if (strcmp (text, self->source->str) == 0 && !self->dirty)
    return;

  /* Everything is re-rendered; blocks that come out the same are kept, so a view
   * showing them has nothing to redo. */
  g_string_assign (self->source, text);
  self->committed = 0;
  self->n_committed = 0;
  self->tail_continues = FALSE;
  self->dirty = TRUE;
  epsimo_markdown_renderer_update (self);
}

const char *
epsimo_markdown_renderer_get_text (EpsimoMarkdownRenderer *self)
{
  g_return_val_if_fail (EPSIMO_IS_MARKDOWN_RENDERER (self), "");

  return self->source->str;
}

gboolean
epsimo_markdown_renderer_get_pending (EpsimoMarkdownRenderer *self)
{
  g_return_val_if_fail (EPSIMO_IS_MARKDOWN_RENDERER (self), FALSE);

  return self->dirty;
}

void
epsimo_markdown_renderer_update (EpsimoMarkdownRenderer *self)
{
  g_autoptr(GPtrArray) fresh = NULL;
  const char *tail;
  gsize tail_len;
  gboolean continues;
  guint n_final = 0;
  guint old_tail;
  guint same = 0;
  guint position;

  g_return_if_fail (EPSIMO_IS_MARKDOWN_RENDERER (self));

  if (!self->dirty)
    return;
  self->dirty = FALSE;

  fresh = g_ptr_array_new_with_free_func ((GDestroyNotify) epsimo_markdown_block_unref);
  tail = self->source->str + self->committed;
  tail_len = self->source->len - self->committed;
  continues = self->tail_continues;

  for (;;)
    {
      gboolean split = FALSE;
      gsize cut = find_commit (tail, tail_len, continues, &split);

      if (cut == 0)
        break;

      parse_segment (tail, cut, continues, fresh);
      n_final = fresh->len;
      self->committed += cut;
      tail += cut;
      tail_len -= cut;
      continues = split;
    }
  self->tail_continues = continues;
  parse_segment (tail, tail_len, continues, fresh);

  old_tail = self->blocks->len - self->n_committed;
  while (same < old_tail && same < fresh->len)
    {
      EpsimoMarkdownBlock *old = g_ptr_array_index (self->blocks, self->n_committed + same);

      if (!epsimo_markdown_block_equal (old, g_ptr_array_index (fresh, same)))
        break;
      same++;
    }

  position = self->n_committed + same;
  g_ptr_array_remove_range (self->blocks, position, old_tail - same);
  for (guint i = same; i < fresh->len; i++)
    g_ptr_array_add (self->blocks, epsimo_markdown_block_ref (g_ptr_array_index (fresh, i)));
  self->n_committed += n_final;

  if (old_tail - same > 0 || fresh->len - same > 0)
    g_signal_emit (self, signals[CHANGED], 0, position, old_tail - same, fresh->len - same);
}

guint
epsimo_markdown_renderer_get_n_blocks (EpsimoMarkdownRenderer *self)
{
  g_return_val_if_fail (EPSIMO_IS_MARKDOWN_RENDERER (self), 0);

  return self->blocks->len;
}

EpsimoMarkdownBlock *
epsimo_markdown_renderer_get_block (EpsimoMarkdownRenderer *self,
                                    guint                   position)
{
  g_return_val_if_fail (EPSIMO_IS_MARKDOWN_RENDERER (self), NULL);
  g_return_val_if_fail (position < self->blocks->len, NULL);

  return g_ptr_array_index (self->blocks, position);
}
