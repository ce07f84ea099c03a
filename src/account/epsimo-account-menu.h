/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-session.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_ACCOUNT_MENU (epsimo_account_menu_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoAccountMenu, epsimo_account_menu, EPSIMO, ACCOUNT_MENU, AdwBin)

/* The account button of the header: who is signed in, the subscription and usage, the other
 * accounts of the keyring to switch to, Add Account and Sign Out (app actions). */

void           epsimo_account_menu_set_session (EpsimoAccountMenu *self,
                                                EpsimoSession     *session);
EpsimoSession *epsimo_account_menu_get_session (EpsimoAccountMenu *self);
/* Opens the menu (also what the tests use). */
void           epsimo_account_menu_popup       (EpsimoAccountMenu *self);

G_END_DECLS
