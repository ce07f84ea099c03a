/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-application.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_WINDOW (epsimo_window_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoWindow, epsimo_window, EPSIMO, WINDOW, AdwApplicationWindow)

EpsimoWindow *epsimo_window_new        (EpsimoApplication *application);
void          epsimo_window_add_toast  (EpsimoWindow      *self,
                                        AdwToast          *toast);
/* Presents the window once what it opens on is in (the account's projects, the reopened
 * project's threads and thread), or after half a second with what it has: one first frame
 * with the content instead of a "Signing In" page and spinners flashing before it. */
void          epsimo_window_present_when_ready (EpsimoWindow *self);
/* Shows @thread_id of @project_id in the Chat section (from a notification). */
void          epsimo_window_open_thread (EpsimoWindow     *self,
                                         const char       *project_id,
                                         const char       *thread_id);

G_END_DECLS
