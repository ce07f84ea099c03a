/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "api/epsimo-api-error.h"

static void
test_details_travel_with_copies (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;

  error = g_error_new_literal (EPSIMO_API_ERROR, EPSIMO_API_ERROR_VALIDATION,
                               "Field 'name' is required");
  epsimo_api_error_set_details (error, 422, "Field 'name' is required", "name");
  copy = g_error_copy (error);

  g_assert_error (copy, EPSIMO_API_ERROR, EPSIMO_API_ERROR_VALIDATION);
  g_assert_cmpuint (epsimo_api_error_get_status (copy), ==, 422);
  g_assert_cmpstr (epsimo_api_error_get_field (copy), ==, "name");
  g_assert_cmpstr (epsimo_api_error_get_detail (copy), ==, "Field 'name' is required");
}

static void
test_other_domains_have_no_details (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "boom");
  g_autoptr(GError) bare = g_error_new_literal (EPSIMO_API_ERROR, EPSIMO_API_ERROR_NETWORK,
                                                "offline");

  g_assert_cmpuint (epsimo_api_error_get_status (error), ==, 0);
  g_assert_null (epsimo_api_error_get_field (error));
  g_assert_null (epsimo_api_error_get_detail (bare));
  g_assert_cmpuint (epsimo_api_error_get_status (bare), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/api-error/details-travel-with-copies", test_details_travel_with_copies);
  g_test_add_func ("/api-error/other-domains", test_other_domains_have_no_details);
  return g_test_run ();
}
