/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "epsimo-markdown-renderer.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_MARKDOWN_VIEW (epsimo_markdown_view_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoMarkdownView, epsimo_markdown_view, EPSIMO, MARKDOWN_VIEW, GtkWidget)

/* Shows the blocks of an EpsimoMarkdownRenderer, one widget per block in a vertical box:
 * selectable wrapped labels for paragraphs, headings, quotes and list items, a grid for a
 * table, and a GtkSourceView for a code block (highlighted for its language, with a Copy
 * button, following the light or dark style). Links open in the browser (gtk_show_uri).
 *
 * The renderer belongs to whoever keeps the text (a chat message keeps its own, so it is
 * rendered once), the view only shows it: while text is appended to the renderer, the view
 * updates at most once per frame, and only the widgets of the blocks that changed (usually
 * the last one). Block widgets of the same kind are reused when the view is given another
 * renderer, as when a list row is recycled.
 *
 * Properties: "renderer" (EpsimoMarkdownRenderer, nullable), "max-blocks" (guint, 0 for all:
 * the first blocks only, for a collapsed long message), "collapse-code" (boolean, default
 * TRUE: a code block of more than 20 lines shows its first 10 behind "Show More"),
 * "truncated" (boolean, read-only: max-blocks hides some blocks). */

GtkWidget              *epsimo_markdown_view_new               (void);
void                    epsimo_markdown_view_set_renderer      (EpsimoMarkdownView     *self,
                                                                EpsimoMarkdownRenderer *renderer);
EpsimoMarkdownRenderer *epsimo_markdown_view_get_renderer      (EpsimoMarkdownView     *self);
/* Shows @text with a renderer of the view's own (replacing any renderer set). */
void                    epsimo_markdown_view_set_text          (EpsimoMarkdownView     *self,
                                                                const char             *text);
/* Appends @text to the renderer (a new one of the view's own when there is none). */
void                    epsimo_markdown_view_append            (EpsimoMarkdownView     *self,
                                                                const char             *text);
void                    epsimo_markdown_view_set_max_blocks    (EpsimoMarkdownView     *self,
                                                                guint                   max);
guint                   epsimo_markdown_view_get_max_blocks    (EpsimoMarkdownView     *self);
void                    epsimo_markdown_view_set_collapse_code (EpsimoMarkdownView     *self,
                                                                gboolean                collapse);
gboolean                epsimo_markdown_view_get_collapse_code (EpsimoMarkdownView     *self);
gboolean                epsimo_markdown_view_get_truncated     (EpsimoMarkdownView     *self);

G_END_DECLS
