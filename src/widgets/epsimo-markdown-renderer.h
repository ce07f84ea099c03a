/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Markdown (CommonMark with GitHub tables, strikethrough, task lists and autolinks, parsed
 * by md4c) turned into a light block model that widgets show without parsing anything:
 * one block per top-level element, inline content as Pango markup (with <a href> links,
 * which GtkLabel understands).
 *
 * Streaming: epsimo_markdown_renderer_append() only stores the new text; the next
 * epsimo_markdown_renderer_update() re-renders the text after the last finished block and
 * nothing before it. A block is finished once a blank line follows it outside a code fence
 * and the next line has begun at the left margin (a very long plain paragraph is also cut
 * at a line start, see epsimo_markdown_block_get_continuation()). So the work per update
 * depends on the size of the unfinished block, not on the length of the text, and the
 * blocks are the same whatever the pieces the text arrived in. */

typedef enum
{
  EPSIMO_MARKDOWN_BLOCK_PARAGRAPH,
  EPSIMO_MARKDOWN_BLOCK_HEADING,
  EPSIMO_MARKDOWN_BLOCK_LIST,
  EPSIMO_MARKDOWN_BLOCK_QUOTE,
  EPSIMO_MARKDOWN_BLOCK_CODE,
  EPSIMO_MARKDOWN_BLOCK_TABLE,
  EPSIMO_MARKDOWN_BLOCK_RULE,
} EpsimoMarkdownBlockKind;

typedef struct _EpsimoMarkdownBlock EpsimoMarkdownBlock;

#define EPSIMO_TYPE_MARKDOWN_BLOCK (epsimo_markdown_block_get_type ())
GType                    epsimo_markdown_block_get_type          (void) G_GNUC_CONST;

EpsimoMarkdownBlock     *epsimo_markdown_block_ref               (EpsimoMarkdownBlock *self);
void                     epsimo_markdown_block_unref             (EpsimoMarkdownBlock *self);
EpsimoMarkdownBlockKind  epsimo_markdown_block_get_kind          (EpsimoMarkdownBlock *self);
/* Whether @a and @b show the same thing. */
gboolean                 epsimo_markdown_block_equal             (EpsimoMarkdownBlock *a,
                                                                  EpsimoMarkdownBlock *b);
/* A heading's level, 1 to 6; 0 for other blocks. */
guint                    epsimo_markdown_block_get_level         (EpsimoMarkdownBlock *self);
/* The Pango markup of a paragraph, heading or quote (a quote's inner blocks joined by
 * blank lines); NULL for other blocks. */
const char              *epsimo_markdown_block_get_markup        (EpsimoMarkdownBlock *self);
/* TRUE for a paragraph that continues the previous block: a very long paragraph is cut at
 * a line start so no single label grows without bound; show it without a gap. */
gboolean                 epsimo_markdown_block_get_continuation  (EpsimoMarkdownBlock *self);
/* A code block's text (no final newline), or NULL. */
const char              *epsimo_markdown_block_get_code          (EpsimoMarkdownBlock *self);
/* A code block's language as written after the fence ("python"), or NULL. */
const char              *epsimo_markdown_block_get_language      (EpsimoMarkdownBlock *self);
/* A list's items, nested lists flattened: each item has a depth (0 for the outer list), a
 * marker ("•", "3.", "☐", "☑"; "" for a paragraph continuing an item) and markup. */
guint                    epsimo_markdown_block_get_n_items       (EpsimoMarkdownBlock *self);
const char              *epsimo_markdown_block_get_item_markup   (EpsimoMarkdownBlock *self,
                                                                  guint                item);
const char              *epsimo_markdown_block_get_item_marker   (EpsimoMarkdownBlock *self,
                                                                  guint                item);
guint                    epsimo_markdown_block_get_item_depth    (EpsimoMarkdownBlock *self,
                                                                  guint                item);
/* A table: rows (the header rows first) of n_columns cells of markup. */
guint                    epsimo_markdown_block_get_n_rows        (EpsimoMarkdownBlock *self);
guint                    epsimo_markdown_block_get_n_columns     (EpsimoMarkdownBlock *self);
guint                    epsimo_markdown_block_get_n_header_rows (EpsimoMarkdownBlock *self);
const char              *epsimo_markdown_block_get_cell_markup   (EpsimoMarkdownBlock *self,
                                                                  guint                row,
                                                                  guint                column);
/* The column's alignment: 0 (left or unspecified), 0.5 (center) or 1 (right). */
float                    epsimo_markdown_block_get_column_xalign (EpsimoMarkdownBlock *self,
                                                                  guint                column);
/* View state kept with the block (so it survives a row being recycled): whether a long
 * code block was expanded by the user. */
gboolean                 epsimo_markdown_block_get_expanded      (EpsimoMarkdownBlock *self);
void                     epsimo_markdown_block_set_expanded      (EpsimoMarkdownBlock *self,
                                                                  gboolean             expanded);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpsimoMarkdownBlock, epsimo_markdown_block_unref)

#define EPSIMO_TYPE_MARKDOWN_RENDERER (epsimo_markdown_renderer_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoMarkdownRenderer, epsimo_markdown_renderer,
                      EPSIMO, MARKDOWN_RENDERER, GObject)

/* Signals:
 * ::invalidated (): text was appended since the last update; emitted once until the next
 *   update, so a view can schedule one update per frame.
 * ::changed (guint position, guint removed, guint added): blocks were replaced, as
 *   GListModel::items-changed. Blocks outside the range are the same objects as before. */

EpsimoMarkdownRenderer *epsimo_markdown_renderer_new         (void);
/* Stores @len bytes of @text (-1: nul-terminated) after the text so far. Cheap: the
 * rendering happens in the next epsimo_markdown_renderer_update(). */
void                    epsimo_markdown_renderer_append      (EpsimoMarkdownRenderer *self,
                                                              const char             *text,
                                                              gssize                  len);
/* Replaces the whole text and renders it at once. */
void                    epsimo_markdown_renderer_set_text    (EpsimoMarkdownRenderer *self,
                                                              const char             *text);
/* Never NULL. */
const char             *epsimo_markdown_renderer_get_text    (EpsimoMarkdownRenderer *self);
/* Whether appended text waits for an update. */
gboolean                epsimo_markdown_renderer_get_pending (EpsimoMarkdownRenderer *self);
/* Renders what was appended since the last update (emitting ::changed when the blocks
 * differ). */
void                    epsimo_markdown_renderer_update      (EpsimoMarkdownRenderer *self);
guint                   epsimo_markdown_renderer_get_n_blocks (EpsimoMarkdownRenderer *self);
/* Returns: (transfer none): the block at @position */
EpsimoMarkdownBlock    *epsimo_markdown_renderer_get_block   (EpsimoMarkdownRenderer *self,
                                                              guint                   position);

G_END_DECLS
