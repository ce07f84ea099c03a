/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "api/epsimo-project.h"
#include "epsimo-session.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_PROJECT_OVERVIEW (epsimo_project_overview_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoProjectOverview, epsimo_project_overview,
                      EPSIMO, PROJECT_OVERVIEW, AdwBin)

/* The Overview section of a project: its name, description and creation date, how many
 * assistants, threads and files it has (each with a button to its section, or to create
 * the first one), and Edit and Delete. Counts are fetched when the project is set and
 * each time the page is shown.
 *
 * Properties: "session" (EpsimoSession*), "project" (EpsimoProject*, nullable).
 * It activates win.show-section (s), win.toast (s), win.refresh-projects, and after
 * win.show-section the target page's creation action when there is nothing yet
 * (assistants.new, chat.new-thread, files.upload) if the window offers it. */

GtkWidget     *epsimo_project_overview_new          (void);
EpsimoSession *epsimo_project_overview_get_session  (EpsimoProjectOverview *self);
void           epsimo_project_overview_set_session  (EpsimoProjectOverview *self,
                                                     EpsimoSession         *session);
EpsimoProject *epsimo_project_overview_get_project  (EpsimoProjectOverview *self);
void           epsimo_project_overview_set_project  (EpsimoProjectOverview *self,
                                                     EpsimoProject         *project);
/* Counts the project's contents again. */
void           epsimo_project_overview_reload       (EpsimoProjectOverview *self);

G_END_DECLS
