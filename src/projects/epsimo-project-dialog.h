/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "api/epsimo-project.h"
#include "epsimo-session.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_PROJECT_DIALOG (epsimo_project_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoProjectDialog, epsimo_project_dialog, EPSIMO, PROJECT_DIALOG,
                      AdwWindow)

/* The modal New Project / Edit Project dialog. It saves by itself (POST or PUT
 * /projects/), shows errors in place (a 422 on the field it names, anything else in a
 * banner with Retry) and keeps what was typed; on success it emits ::saved with the
 * project as the server has it and closes.
 *
 * Properties: "session" and "project" (construct-only; a NULL project makes a new one).
 * Signal: ::saved (EpsimoProject *project). */

GtkWidget     *epsimo_project_dialog_new         (GtkWindow           *parent,
                                                  EpsimoSession       *session,
                                                  EpsimoProject       *project);
/* The project being edited, or NULL for a new one. */
EpsimoProject *epsimo_project_dialog_get_project (EpsimoProjectDialog *self);

G_END_DECLS
