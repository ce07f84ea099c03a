/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "api/epsimo-project.h"
#include "epsimo-session.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_PROJECT_LIST (epsimo_project_list_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoProjectList, epsimo_project_list, EPSIMO, PROJECT_LIST, AdwBin)

/* The sidebar's projects: a search entry, the account's projects sorted by name (a
 * virtualized GtkListView), New Project, Refresh, an empty state and an error banner.
 *
 * Properties: "session" (EpsimoSession*), "selected-project" (EpsimoProject*, nullable:
 * the current project; it stays the same object across refreshes while it exists).
 * Actions (on this widget): projects.new, projects.edit, projects.delete (the selected
 * project), projects.refresh (F5, Ctrl+R), projects.search (Ctrl+F: focuses the entry). */

GtkWidget     *epsimo_project_list_new                  (void);
EpsimoSession *epsimo_project_list_get_session          (EpsimoProjectList *self);
void           epsimo_project_list_set_session          (EpsimoProjectList *self,
                                                         EpsimoSession     *session);
EpsimoProject *epsimo_project_list_get_selected_project (EpsimoProjectList *self);
void           epsimo_project_list_set_selected_project (EpsimoProjectList *self,
                                                         EpsimoProject     *project);
/* Selects the project with @project_id (the one remembered from last time). Before the
 * list has loaded, the id is kept and selected once it loads (TRUE is returned); after, it
 * returns whether such a project is listed. When it is not, the first project is current. */
gboolean       epsimo_project_list_select_project_id    (EpsimoProjectList *self,
                                                         const char        *project_id);
/* Fetches the projects again; on failure what is shown stays and the banner says why. */
void           epsimo_project_list_reload               (EpsimoProjectList *self);
/* Whether the projects are being listed (the first time or a refresh). */
gboolean       epsimo_project_list_get_loading          (EpsimoProjectList *self);
/* The projects listed (unsorted, unfiltered; element-type EpsimoProject). */
GListModel    *epsimo_project_list_get_model            (EpsimoProjectList *self);

G_END_DECLS
