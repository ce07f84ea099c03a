/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-fuzz"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "epsimo-fuzz.h"
#include "widgets/epsimo-markdown-renderer.h"

#define FUZZ_CHECK(cond) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        g_printerr ("%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
        abort (); \
      } \
  } G_STMT_END

/* The markup goes to a GtkLabel: it must at least be well-formed. */
static void
check_markup (const char *markup)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  static const GMarkupParser parser = { NULL, NULL, NULL, NULL, NULL };

  if (markup == NULL)
    return;
  FUZZ_CHECK (g_utf8_validate (markup, -1, NULL));
  context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  if (!g_markup_parse_context_parse (context, "<markup>", -1, &error)
      || !g_markup_parse_context_parse (context, markup, -1, &error)
      || !g_markup_parse_context_parse (context, "</markup>", -1, &error)
      || !g_markup_parse_context_end_parse (context, &error))
    {
      g_printerr ("ill-formed markup (%s): %s\n", error->message, markup);
      /* To look for other bugs while one of these is being fixed. */
      if (g_getenv ("EPSIMO_FUZZ_LENIENT_MARKUP") == NULL)
        abort ();
    }
}

static void
check_block (EpsimoMarkdownBlock *block)
{
  guint n_items = epsimo_markdown_block_get_n_items (block);
  guint n_rows = epsimo_markdown_block_get_n_rows (block);
  guint n_columns = epsimo_markdown_block_get_n_columns (block);
  const char *code = epsimo_markdown_block_get_code (block);
  const char *language = epsimo_markdown_block_get_language (block);

  FUZZ_CHECK (epsimo_markdown_block_get_level (block) <= 6);
  FUZZ_CHECK (epsimo_markdown_block_get_n_header_rows (block) <= n_rows);
  check_markup (epsimo_markdown_block_get_markup (block));
  FUZZ_CHECK (code == NULL || g_utf8_validate (code, -1, NULL));
  FUZZ_CHECK (language == NULL || g_utf8_validate (language, -1, NULL));
  for (guint i = 0; i < n_items; i++)
    {
      check_markup (epsimo_markdown_block_get_item_markup (block, i));
      FUZZ_CHECK (g_utf8_validate (epsimo_markdown_block_get_item_marker (block, i), -1, NULL));
      (void) epsimo_markdown_block_get_item_depth (block, i);
    }
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_columns; c++)
      check_markup (epsimo_markdown_block_get_cell_markup (block, r, c));
  for (guint c = 0; c < n_columns; c++)
    {
      float xalign = epsimo_markdown_block_get_column_xalign (block, c);

      FUZZ_CHECK (xalign == 0.f || xalign == .5f || xalign == 1.f);
    }
}

/* A copy of the block list kept up to date from ::changed alone, as a list view is. */
static void
on_changed (EpsimoMarkdownRenderer *renderer,
            guint                   position,
            guint                   removed,
            guint                   added,
            gpointer                user_data)
{
  GPtrArray *mirror = user_data;

  FUZZ_CHECK (position <= mirror->len && removed <= mirror->len - position);
  g_ptr_array_remove_range (mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (mirror, (gint) (position + i),
                        epsimo_markdown_block_ref (
                          epsimo_markdown_renderer_get_block (renderer, position + i)));
}

static void
check_renderer (EpsimoMarkdownRenderer *renderer,
                GPtrArray              *mirror)
{
  guint n = epsimo_markdown_renderer_get_n_blocks (renderer);

  FUZZ_CHECK (mirror->len == n);
  for (guint i = 0; i < n; i++)
    {
      EpsimoMarkdownBlock *block = epsimo_markdown_renderer_get_block (renderer, i);

      FUZZ_CHECK (g_ptr_array_index (mirror, i) == block);
      check_block (block);
    }
}

void
epsimo_fuzz_markdown (const guint8 *data,
                      gsize         size)
{
  g_autoptr(EpsimoMarkdownRenderer) whole = epsimo_markdown_renderer_new ();
  g_autoptr(EpsimoMarkdownRenderer) pieces = epsimo_markdown_renderer_new ();
  g_autoptr(GPtrArray) whole_mirror = NULL;
  g_autoptr(GPtrArray) pieces_mirror = NULL;
  g_autofree char *text = NULL;
  guint32 state = 2166136261u;
  gsize len;
  gsize offset = 0;

  /* Replies reach the renderer as JSON strings: valid UTF-8, never a NUL. */
  text = g_utf8_make_valid ((const char *) data, (gssize) size);
  len = strlen (text);
  for (gsize i = 0; i < size; i++)
    state = (state ^ data[i]) * 16777619u;
  state |= 1;

  whole_mirror = g_ptr_array_new_with_free_func ((GDestroyNotify) epsimo_markdown_block_unref);
  pieces_mirror = g_ptr_array_new_with_free_func ((GDestroyNotify) epsimo_markdown_block_unref);
  g_signal_connect (whole, "changed", G_CALLBACK (on_changed), whole_mirror);
  g_signal_connect (pieces, "changed", G_CALLBACK (on_changed), pieces_mirror);

  epsimo_markdown_renderer_set_text (whole, text);
  FUZZ_CHECK (g_str_equal (epsimo_markdown_renderer_get_text (whole), text));
  check_renderer (whole, whole_mirror);

  /* Streamed as deltas of 1 to 67 bytes (and whole characters), updated after some of
   * them (one update per frame). */
  while (offset < len)
    {
      gsize piece;

      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      piece = MIN (len - offset, (gsize) (state % 67) + 1);
      /* Deltas are JSON strings: whole characters. */
      while (offset + piece < len && (text[offset + piece] & 0xC0) == 0x80)
        piece++;
      epsimo_markdown_renderer_append (pieces, text + offset, (gssize) piece);
      offset += piece;
      if (state & 0x100)
        {
          epsimo_markdown_renderer_update (pieces);
          check_renderer (pieces, pieces_mirror);
        }
    }
  epsimo_markdown_renderer_update (pieces);
  FUZZ_CHECK (!epsimo_markdown_renderer_get_pending (pieces));
  FUZZ_CHECK (g_str_equal (epsimo_markdown_renderer_get_text (pieces), text));
  check_renderer (pieces, pieces_mirror);

  /* The blocks do not depend on the pieces the text came in. */
  FUZZ_CHECK (epsimo_markdown_renderer_get_n_blocks (whole)
              == epsimo_markdown_renderer_get_n_blocks (pieces));
  for (guint i = 0; i < epsimo_markdown_renderer_get_n_blocks (whole); i++)
    FUZZ_CHECK (epsimo_markdown_block_equal (epsimo_markdown_renderer_get_block (whole, i),
                                             epsimo_markdown_renderer_get_block (pieces, i)));

  /* Clearing the text empties the list. */
  epsimo_markdown_renderer_set_text (whole, "");
  check_renderer (whole, whole_mirror);
  FUZZ_CHECK (epsimo_markdown_renderer_get_n_blocks (whole) == 0);
}
