/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define EPSIMO_TYPE_TRANSCRIPT_VIEW (epsimo_transcript_view_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoTranscriptView, epsimo_transcript_view,
                      EPSIMO, TRANSCRIPT_VIEW, AdwBin)

/* The transcript: a GtkListView of EpsimoChatItem rows (virtualized), which stays at the
 * bottom while the last row grows, as long as the user has not scrolled away; then a "Jump
 * to Latest" button shows instead. Reaching the top asks for older messages.
 *
 * GTK 4.8 has no gtk_list_view_scroll_to(): the view keeps a "pinned" flag, cleared by the
 * user's own scrolling (wheel or touchpad up, a scrollbar drag, Page Up, Home, Up) and set
 * again at the bottom edge; while pinned, a frame clock "layout" handler (after GTK's own)
 * brings the last row into view before the frame is painted.
 *
 * Properties: "model" (GListModel of EpsimoChatItem), "pinned" (boolean; setting it to
 * FALSE stops following, TRUE follows again), "loading-older" (shows a small notice at the
 * top). Signal ::load-older (): the user reached the top (or all of it fits). */

GtkWidget  *epsimo_transcript_view_new               (void);
void        epsimo_transcript_view_set_model         (EpsimoTranscriptView *self,
                                                      GListModel           *model);
GListModel *epsimo_transcript_view_get_model         (EpsimoTranscriptView *self);
gboolean    epsimo_transcript_view_get_pinned        (EpsimoTranscriptView *self);
void        epsimo_transcript_view_set_pinned        (EpsimoTranscriptView *self,
                                                      gboolean              pinned);
void        epsimo_transcript_view_set_loading_older (EpsimoTranscriptView *self,
                                                      gboolean              loading);
/* Follows the newest message again and scrolls to it. */
void        epsimo_transcript_view_jump_to_latest    (EpsimoTranscriptView *self);
/* The list inside, for tests and for the shortcuts that act on it. */
GtkWidget  *epsimo_transcript_view_get_list_view     (EpsimoTranscriptView *self);
void        epsimo_transcript_view_prepare_rows      (EpsimoTranscriptView *self);

G_END_DECLS
