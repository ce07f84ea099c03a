/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "epsimo-ts-request.h"

G_BEGIN_DECLS

/* Handlers of the API paths; the router has authenticated the caller. */

/* epsimo-ts-routes-auth.c */
void epsimo_ts_route_signup                 (EpsimoTsRequest *req);
void epsimo_ts_route_login                  (EpsimoTsRequest *req);
void epsimo_ts_route_thread_info            (EpsimoTsRequest *req);

/* epsimo-ts-routes-projects.c */
void epsimo_ts_route_projects_list          (EpsimoTsRequest *req);
void epsimo_ts_route_projects_create        (EpsimoTsRequest *req);
void epsimo_ts_route_project_get            (EpsimoTsRequest *req);
void epsimo_ts_route_project_update         (EpsimoTsRequest *req);
void epsimo_ts_route_project_delete         (EpsimoTsRequest *req);

/* epsimo-ts-routes-assistants.c */
void epsimo_ts_route_assistants_list        (EpsimoTsRequest *req);
void epsimo_ts_route_assistants_create      (EpsimoTsRequest *req);
void epsimo_ts_route_assistant_get          (EpsimoTsRequest *req);
void epsimo_ts_route_assistant_update       (EpsimoTsRequest *req);
void epsimo_ts_route_assistant_delete       (EpsimoTsRequest *req);

/* epsimo-ts-routes-threads.c */
void epsimo_ts_route_threads_list           (EpsimoTsRequest *req);
void epsimo_ts_route_threads_create         (EpsimoTsRequest *req);
void epsimo_ts_route_thread_get             (EpsimoTsRequest *req);
void epsimo_ts_route_thread_update          (EpsimoTsRequest *req);
void epsimo_ts_route_thread_delete          (EpsimoTsRequest *req);
void epsimo_ts_route_messages_list          (EpsimoTsRequest *req);
void epsimo_ts_route_messages_create        (EpsimoTsRequest *req);

/* epsimo-ts-routes-state.c */
void epsimo_ts_route_state_get              (EpsimoTsRequest *req);
void epsimo_ts_route_state_update           (EpsimoTsRequest *req);
void epsimo_ts_route_db_get_all             (EpsimoTsRequest *req);
void epsimo_ts_route_db_get_key             (EpsimoTsRequest *req);
void epsimo_ts_route_db_put_key             (EpsimoTsRequest *req);
void epsimo_ts_route_db_delete_key          (EpsimoTsRequest *req);

/* epsimo-ts-runs.c */
void epsimo_ts_route_run_reference          (EpsimoTsRequest *req);
void epsimo_ts_route_run_live               (EpsimoTsRequest *req);
void epsimo_ts_route_run_cancel_reference   (EpsimoTsRequest *req);
void epsimo_ts_route_run_cancel_live        (EpsimoTsRequest *req);

/* epsimo-ts-routes-files.c */
void epsimo_ts_route_files_list             (EpsimoTsRequest *req);
void epsimo_ts_route_files_upload           (EpsimoTsRequest *req);
void epsimo_ts_route_file_get               (EpsimoTsRequest *req);
void epsimo_ts_route_file_delete            (EpsimoTsRequest *req);
void epsimo_ts_route_assistant_files_list   (EpsimoTsRequest *req);
void epsimo_ts_route_assistant_files_upload (EpsimoTsRequest *req);
void epsimo_ts_route_assistant_file_delete  (EpsimoTsRequest *req);

/* epsimo-ts-routes-credits.c */
void epsimo_ts_route_balance                (EpsimoTsRequest *req);
void epsimo_ts_route_checkout_reference     (EpsimoTsRequest *req);
void epsimo_ts_route_checkout_live          (EpsimoTsRequest *req);

/* epsimo-ts-routes-tools.c */
void epsimo_ts_route_tools_list             (EpsimoTsRequest *req);
void epsimo_ts_route_tool_health            (EpsimoTsRequest *req);

G_END_DECLS
