/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define EPSIMO_TYPE_COMPOSER (epsimo_composer_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoComposer, epsimo_composer, EPSIMO, COMPOSER, AdwBin)

/* Where the user writes: a multi-line field where Enter sends and Shift+Enter starts a new
 * line, a Send button (disabled while the text is blank), a Stop button in its place while
 * a reply runs ("chat.stop"), an Add Note button ("chat.add-note") where the server has
 * notes, and a notice with Buy Credits ("win.buy-credits") when no threads are left.
 *
 * Properties: "text" (string), "empty" (boolean, read-only: nothing but blanks), "running"
 * (a reply is streaming: Stop instead of Send), "busy" (a message is being sent: the field
 * is read-only), "can-send" (whether sending is allowed at all), "show-note" (the Add Note
 * button), "no-threads-left" (the credits notice), "blocks-sending" (the notice also stops
 * sending: a new thread would be needed). Signal ::send (): the user asked to send. */

GtkWidget  *epsimo_composer_new                (void);
/* Returns: (transfer full): the text as typed */
char       *epsimo_composer_dup_text           (EpsimoComposer *self);
void        epsimo_composer_set_text           (EpsimoComposer *self,
                                                const char     *text);
gboolean    epsimo_composer_get_empty          (EpsimoComposer *self);
void        epsimo_composer_set_running        (EpsimoComposer *self,
                                                gboolean        running);
void        epsimo_composer_set_busy           (EpsimoComposer *self,
                                                gboolean        busy);
gboolean    epsimo_composer_get_busy           (EpsimoComposer *self);
void        epsimo_composer_set_can_send       (EpsimoComposer *self,
                                                gboolean        can_send);
void        epsimo_composer_set_show_note      (EpsimoComposer *self,
                                                gboolean        show_note);
/* @blocks_sending: the notice says sending needs credits (in a thread not yet created). */
void        epsimo_composer_set_no_threads_left (EpsimoComposer *self,
                                                 gboolean        no_threads_left,
                                                 gboolean        blocks_sending);
gboolean    epsimo_composer_get_no_threads_left (EpsimoComposer *self);
/* Whether Send would do something now. */
gboolean    epsimo_composer_get_sendable       (EpsimoComposer *self);
/* Moves the keyboard focus to the text field. */
void        epsimo_composer_focus              (EpsimoComposer *self);

G_END_DECLS
