/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-session.h"
#include "api/epsimo-project.h"
#include "epsimo-database-panel.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_DATABASE_PAGE (epsimo_database_page_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoDatabasePage, epsimo_database_page, EPSIMO, DATABASE_PAGE, AdwBin)

/* The Database section of a project: a thread picker (the project's threads, by name) above
 * an EpsimoDatabasePanel showing the chosen thread's keys.
 *
 * Properties: "session" (EpsimoSession, nullable), "project" (EpsimoProject, nullable):
 * changing either lists the threads again.
 * Actions (group "database-page"): "reload-threads". The panel's own actions (group
 * "database", Ctrl+S) work inside it. Uses "win.show-section" (s) and "win.toast" (s). */

GtkWidget           *epsimo_database_page_new           (void);

EpsimoSession       *epsimo_database_page_get_session   (EpsimoDatabasePage *self);
void                 epsimo_database_page_set_session   (EpsimoDatabasePage *self,
                                                         EpsimoSession      *session);
EpsimoProject       *epsimo_database_page_get_project   (EpsimoDatabasePage *self);
void                 epsimo_database_page_set_project   (EpsimoDatabasePage *self,
                                                         EpsimoProject      *project);

/* Returns: (transfer none): the panel of the chosen thread */
EpsimoDatabasePanel *epsimo_database_page_get_panel     (EpsimoDatabasePage *self);

/* Chooses the thread @thread_id of the project, now or once the threads are listed (e.g. to
 * open the database of the thread shown in Chat). */
void                 epsimo_database_page_select_thread (EpsimoDatabasePage *self,
                                                         const char         *thread_id);

G_END_DECLS
