/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "epsimo-session.h"
#include "epsimo-test-harness.h"

G_BEGIN_DECLS

/* The accounts the ui tests drive the window with, made on a real epsimo-test-server. */

#define EPSIMO_UI_TEST_PASSWORD "correct horse battery"

/* A session of @server on which @email has just signed up (no e-mail check: signed in). */
EpsimoSession   *epsimo_ui_test_sign_up          (EpsimoTestServer *server,
                                                  const char       *email);
/* A new project of the signed-in account. */
EpsimoProject   *epsimo_ui_test_create_project   (EpsimoSession    *session,
                                                  const char       *name);
/* A new assistant in @project. */
EpsimoAssistant *epsimo_ui_test_create_assistant (EpsimoSession    *session,
                                                  EpsimoProject    *project,
                                                  const char       *name);

G_END_DECLS
