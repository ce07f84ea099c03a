/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-ui-test"

#include "config.h"

#include "epsimo-ui-test-session.h"

#define PASSWORD EPSIMO_UI_TEST_PASSWORD

EpsimoSession *
epsimo_ui_test_sign_up (EpsimoTestServer *server,
                        const char       *email)
{
  g_autoptr(EpsimoSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  gboolean needs_verification = TRUE;

  session = epsimo_session_new (epsimo_test_server_get_url (server), &error);
  g_assert_no_error (error);
  epsimo_session_sign_up_async (session, email, PASSWORD, FALSE, NULL, epsimo_test_async_cb,
                                &slot);
  result = epsimo_test_await (&slot);
  g_assert_true (epsimo_session_sign_up_finish (session, result, &needs_verification, &error));
  g_assert_no_error (error);
  g_assert_false (needs_verification);
  return g_steal_pointer (&session);
}

EpsimoProject *
epsimo_ui_test_create_project (EpsimoSession *session,
                               const char    *name)
{
  EpsimoProjectsService *service = epsimo_session_get_projects (session);
  g_autoptr(EpsimoProject) draft = epsimo_project_new (name, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  EpsimoProject *project;

  epsimo_projects_service_create_async (service, draft, NULL, epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  project = epsimo_projects_service_create_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  return project;
}

EpsimoAssistant *
epsimo_ui_test_create_assistant (EpsimoSession *session,
                                 EpsimoProject *project,
                                 const char    *name)
{
  EpsimoAssistantsService *service = epsimo_session_get_assistants (session);
  g_autoptr(EpsimoAssistant) draft = epsimo_assistant_new (name);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  EpsimoAssistant *assistant;

  epsimo_assistants_service_create_async (service, epsimo_project_get_id (project), draft, NULL,
                                          epsimo_test_async_cb, &slot);
  result = epsimo_test_await (&slot);
  assistant = epsimo_assistants_service_create_finish (service, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (assistant);
  return assistant;
}
