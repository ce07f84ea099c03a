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
/* Shows @thread_id of @project_id in the Chat section (from a notification). */
void          epsimo_window_open_thread (EpsimoWindow     *self,
                                         const char       *project_id,
                                         const char       *thread_id);

G_END_DECLS
