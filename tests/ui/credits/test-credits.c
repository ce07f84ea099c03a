/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The credits pill and the Buy Credits dialog in a real window, against epsimo-test-server in
 * both dialects. The payment page really is opened: a URL handler installed in this test's
 * own XDG folders writes the address it receives to a file. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>

#include "../epsimo-ui-test.h"
#include "epsimo-test-harness.h"
#include "../epsimo-ui-test-session.h"
#include "epsimo-session.h"
#include "credits/epsimo-buy-credits-dialog.h"
#include "credits/epsimo-credits-money.h"
#include "credits/epsimo-credits-pill.h"
#include "widgets/epsimo-error-banner.h"

#define PASSWORD EPSIMO_UI_TEST_PASSWORD
#define TIMEOUT_MS 15000

static char *scratch_dir;
static char *url_file;

/* ---- the URL catcher ------------------------------------------------------------------------ */

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* Must run before anything reads the XDG folders (GLib caches them). */
static void
install_url_catcher (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *apps = NULL;
  g_autofree char *script = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;

  scratch_dir = g_dir_make_tmp ("epsimo-credits-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (scratch_dir, "data", NULL);
  config_home = g_build_filename (scratch_dir, "config", NULL);
  apps = g_build_filename (data_home, "applications", NULL);
  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config_home, 0700), ==, 0);
  url_file = g_build_filename (scratch_dir, "opened-url", NULL);

  /* Written whole, then renamed: the test never reads half a line. */
  script = g_build_filename (scratch_dir, "catch-url.sh", NULL);
  text = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$1\" > '%s.part' && mv '%s.part' '%s'\n",
                          url_file, url_file, url_file);
  write_file (script, text);
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);
  g_clear_pointer (&text, g_free);

  path = g_build_filename (apps, "url-catcher.desktop", NULL);
  text = g_strdup_printf ("[Desktop Entry]\n"
                          "Type=Application\n"
                          "Name=URL catcher\n"
                          "Exec=/bin/sh %s %%u\n"
                          "NoDisplay=true\n"
                          "Terminal=false\n"
                          "MimeType=x-scheme-handler/https;x-scheme-handler/http;\n", script);
  write_file (path, text);
  g_clear_pointer (&path, g_free);

  path = g_build_filename (config_home, "mimeapps.list", NULL);
  write_file (path, "[Default Applications]\n"
                    "x-scheme-handler/https=url-catcher.desktop\n"
                    "x-scheme-handler/http=url-catcher.desktop\n");

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_free);
      GDir *dir = g_dir_open (path, 0, NULL);
      const char *name;

      /* Listed first, removed after: removing while reading a folder may skip entries. */
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (children, g_build_filename (path, name, NULL));
      if (dir != NULL)
        g_dir_close (dir);
      for (guint i = 0; i < children->len; i++)
        remove_tree (children->pdata[i]);
      g_rmdir (path);
    }
  else
    g_remove (path);
}

static gboolean
url_opened (gpointer data)
{
  return g_file_test (url_file, G_FILE_TEST_EXISTS);
}

static char *
read_opened_url (void)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (epsimo_ui_test_wait_for (url_opened, NULL, TIMEOUT_MS));
  g_file_get_contents (url_file, &text, NULL, &error);
  g_assert_no_error (error);
  return g_strchomp (text);
}

/* ---- the fixture ---------------------------------------------------------------------------- */

typedef struct
{
  const char       *dialect;
  EpsimoTestServer *server;
  EpsimoSession    *session;
  char             *email;
  GtkWidget        *window;
  GtkWidget        *pill;
  guint             buy_activations;
} Fixture;

static gboolean
is_live (Fixture *fixture)
{
  return g_str_equal (fixture->dialect, "live");
}

static const char *
checkout_path (Fixture *fixture)
{
  return is_live (fixture) ? "/checkout/create-checkout-session" : "/credits/checkout";
}

static const char *
amount_member (Fixture *fixture)
{
  return is_live (fixture) ? "total_amount" : "amount";
}

static const char *
balance_path (Fixture *fixture)
{
  return is_live (fixture) ? "/auth/thread-info" : "/credits/balance";
}

/* What the window does for "win.buy-credits". */
static void
on_buy_credits (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  Fixture *fixture = user_data;

  fixture->buy_activations++;
  epsimo_credits_show_buy_dialog (fixture->pill, fixture->session);
}

static gboolean
has_balance (gpointer data)
{
  return epsimo_session_get_balance (data) != NULL;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  dialect)
{
  static guint counter;
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("buy-credits", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *header;

  fixture->dialect = dialect;
  fixture->server = epsimo_test_server_start (dialect, NULL);

  fixture->email = g_strdup_printf ("buyer.%u.%u@example.test", (guint) getpid (), ++counter);
  fixture->session = epsimo_ui_test_sign_up (fixture->server, fixture->email);
  g_assert_true (epsimo_ui_test_wait_for (has_balance, fixture->session, TIMEOUT_MS));

  /* A window like the real one: the pill at the end of a header, "win.buy-credits". */
  fixture->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 640, 480);
  g_signal_connect (action, "activate", G_CALLBACK (on_buy_credits), fixture);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (fixture->window, "win", G_ACTION_GROUP (group));

  header = adw_header_bar_new ();
  fixture->pill = epsimo_credits_pill_new ();
  epsimo_credits_pill_set_session (EPSIMO_CREDITS_PILL (fixture->pill), fixture->session);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), fixture->pill);
  {
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

    gtk_box_append (GTK_BOX (box), header);
    gtk_box_append (GTK_BOX (box), adw_status_page_new ());
    adw_window_set_content (ADW_WINDOW (fixture->window), box);
  }
  gtk_window_present (GTK_WINDOW (fixture->window));

  g_remove (url_file);
  epsimo_test_server_clear_requests (fixture->server);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  dialect)
{
  GtkWidget *dialog;

  while ((dialog = epsimo_ui_test_find_toplevel (EPSIMO_TYPE_BUY_CREDITS_DIALOG)) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  epsimo_ui_test_spin (50);
  g_clear_object (&fixture->session);
  epsimo_test_server_stop (fixture->server);
  g_free (fixture->email);
  g_remove (url_file);
}

static void
set_quota (Fixture *fixture,
           gint64   counter,
           gint64   max)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"thread_counter\": %"
                                           G_GINT64_FORMAT ", \"thread_max\": %"
                                           G_GINT64_FORMAT "}", fixture->email, counter, max);
  g_autoptr(JsonNode) answer = epsimo_test_server_control (fixture->server, "POST", "quota",
                                                           body);
}

/* ---- the dialog's parts ----------------------------------------------------------------------- */

static gboolean
dialog_shown (gpointer data)
{
  return epsimo_ui_test_find_toplevel (EPSIMO_TYPE_BUY_CREDITS_DIALOG) != NULL;
}

/* Opens the dialog as a user does: by clicking the pill. Polls fast, for a short test. */
static GtkWidget *
open_dialog (Fixture *fixture)
{
  GtkWidget *dialog;

  g_assert_true (gtk_widget_get_visible (fixture->pill));
  g_signal_emit_by_name (fixture->pill, "clicked");
  g_assert_true (epsimo_ui_test_wait_for (dialog_shown, NULL, TIMEOUT_MS));
  dialog = epsimo_ui_test_find_toplevel (EPSIMO_TYPE_BUY_CREDITS_DIALOG);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog))
                 == GTK_WINDOW (fixture->window));
  epsimo_buy_credits_dialog_set_poll_interval (EPSIMO_BUY_CREDITS_DIALOG (dialog), 100);
  return dialog;
}

static gpointer
part (GtkWidget  *dialog,
      const char *name)
{
  GObject *object = gtk_widget_get_template_child (dialog, EPSIMO_TYPE_BUY_CREDITS_DIALOG,
                                                   name);

  g_assert_nonnull (object);
  return object;
}

static const char *
label_text (GtkWidget  *dialog,
            const char *name)
{
  return gtk_label_get_text (part (dialog, name));
}

static const char *
page (GtkWidget *dialog)
{
  return gtk_stack_get_visible_child_name (part (dialog, "stack"));
}

static gboolean
page_is_done (gpointer dialog)
{
  return g_strcmp0 (page (dialog), "done") == 0;
}

static gboolean
banner_revealed (gpointer dialog)
{
  return epsimo_error_banner_get_revealed (part (dialog, "error_banner"));
}

static gboolean
quantity_error_shown (gpointer dialog)
{
  return gtk_widget_get_visible (part (dialog, "quantity_error_label"));
}

static gboolean
page_is_waiting (gpointer dialog)
{
  return g_strcmp0 (page (dialog), "waiting") == 0;
}

static gboolean
timed_out (gpointer dialog)
{
  return gtk_widget_get_visible (part (dialog, "check_again_button"));
}

static void
click (GtkWidget  *dialog,
       const char *name)
{
  GtkWidget *button = part (dialog, name);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
type_quantity (GtkWidget  *dialog,
               const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (part (dialog, "custom_spin")), text);
}

/* The checkout the server received: its path is the dialect's, with the dialect's amount. */
static JsonObject *
checkout_request_body (Fixture *fixture)
{
  g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (fixture->server);
  const char *other = is_live (fixture) ? "/credits/checkout"
                                        : "/checkout/create-checkout-session";
  JsonObject *request;

  g_assert_cmpuint (epsimo_test_count_requests (requests, "POST", checkout_path (fixture)), ==, 1);
  g_assert_cmpuint (epsimo_test_count_requests (requests, "POST", other), ==, 0);
  request = epsimo_test_find_request (requests, "POST", checkout_path (fixture));
  return epsimo_test_request_body (request);
}

static void
assert_checkout_body (Fixture *fixture,
                      gint64   quantity,
                      double   euros)
{
  g_autoptr(JsonObject) body = checkout_request_body (fixture);
  const char *wrong = is_live (fixture) ? "amount" : "total_amount";

  g_assert_nonnull (body);
  g_assert_cmpint (json_object_get_int_member (body, "quantity"), ==, quantity);
  g_assert_true (json_object_has_member (body, amount_member (fixture)));
  g_assert_false (json_object_has_member (body, wrong));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (body, amount_member (fixture)),
                                  euros, 0.001);
}

/* ---- tests ---------------------------------------------------------------------------------- */

static const struct
{
  gint64      quantity;
  gint64      cents;
  const char *total;
  const char *unit;
} prices[] = {
  { 1, 10, "€0.10", "€0.10 per thread" },
  { 499, 4990, "€49.90", "€0.10 per thread" },
  { 500, 4500, "€45.00", "€0.09 per thread" },
  { 999, 8991, "€89.91", "€0.09 per thread" },
  { 1000, 8000, "€80.00", "€0.08 per thread" },
  { 5000, 40000, "€400.00", "€0.08 per thread" },
};

/* Generates a French locale into the scratch folder, for the decimal comma. */
static gboolean
make_french_locale (void)
{
  g_autofree char *locales = g_build_filename (scratch_dir, "locales", NULL);
  g_autofree char *target = g_build_filename (locales, "fr_FR.UTF-8", NULL);
  const char *argv[] = { "localedef", "-i", "fr_FR", "-f", "UTF-8", target, NULL };
  int status = -1;

  g_mkdir_with_parents (locales, 0700);
  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL)
      || !g_file_test (target, G_FILE_TEST_IS_DIR))
    return FALSE;

  g_setenv ("LOCPATH", locales, TRUE);
  return TRUE;
}

static void
test_money (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (prices); i++)
    {
      g_autofree char *text = NULL;

      g_assert_cmpint (epsimo_credits_price_for_quantity (prices[i].quantity), ==,
                       prices[i].cents);
      text = epsimo_credits_format_money (prices[i].cents);
      g_assert_cmpstr (text, ==, prices[i].total);
    }

  /* The browser only ever gets a real https address. */
  g_assert_true (epsimo_credits_is_payment_url ("https://checkout.stripe.com/c/pay/cs_test_1"));
  g_assert_true (epsimo_credits_is_payment_url ("HTTPS://checkout.stripe.com/x"));
  g_assert_false (epsimo_credits_is_payment_url ("http://evil.example/x"));
  g_assert_false (epsimo_credits_is_payment_url ("file:///etc/passwd"));
  g_assert_false (epsimo_credits_is_payment_url ("javascript:alert(1)"));
  g_assert_false (epsimo_credits_is_payment_url ("https://user:pw@evil.example/"));
  g_assert_false (epsimo_credits_is_payment_url ("https:///no-host"));
  g_assert_false (epsimo_credits_is_payment_url ("not a url"));
  g_assert_false (epsimo_credits_is_payment_url (""));
  g_assert_false (epsimo_credits_is_payment_url (NULL));

  /* The decimal separator is the locale's. */
  if (make_french_locale ())
    {
      g_autofree char *old = g_strdup (setlocale (LC_NUMERIC, NULL));
      g_autofree char *text = NULL;

      g_assert_nonnull (setlocale (LC_NUMERIC, "fr_FR.UTF-8"));
      text = epsimo_credits_format_money (8000);
      setlocale (LC_NUMERIC, old);
      g_unsetenv ("LOCPATH");
      g_assert_nonnull (strstr (text, "80,00"));
    }
  else
    g_test_message ("localedef could not make fr_FR.UTF-8: decimal comma not checked");
}

static void
test_prices_shown (Fixture       *fixture,
                   gconstpointer  dialect)
{
  GtkWidget *dialog = open_dialog (fixture);
  AdwActionRow *row_custom = part (dialog, "row_custom");

  /* The packages, the most popular one marked. */
  g_assert_true (gtk_check_button_get_active (part (dialog, "check_100")));
  g_assert_cmpstr (label_text (dialog, "total_label"), ==, "€10.00");
  g_assert_cmpstr (label_text (dialog, "price_100"), ==, "€10.00");
  g_assert_cmpstr (label_text (dialog, "price_500"), ==, "€45.00");
  g_assert_cmpstr (label_text (dialog, "price_1000"), ==, "€80.00");
  g_assert_nonnull (epsimo_ui_test_find_widget (part (dialog, "row_500"), GTK_TYPE_LABEL,
                                                "Most popular"));
  g_assert_null (epsimo_ui_test_find_widget (part (dialog, "row_1000"), GTK_TYPE_LABEL,
                                             "Most popular"));
  gtk_check_button_set_active (part (dialog, "check_500"), TRUE);
  g_assert_cmpstr (label_text (dialog, "total_label"), ==, "€45.00");
  gtk_check_button_set_active (part (dialog, "check_1000"), TRUE);
  g_assert_cmpstr (label_text (dialog, "total_label"), ==, "€80.00");

  /* A custom quantity: the tier's price per thread and the total follow what is typed. */
  for (guint i = 0; i < G_N_ELEMENTS (prices); i++)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, prices[i].quantity);

      type_quantity (dialog, text);
      g_assert_true (gtk_check_button_get_active (part (dialog, "check_custom")));
      g_assert_cmpstr (label_text (dialog, "total_label"), ==, prices[i].total);
      g_assert_cmpstr (label_text (dialog, "price_custom"), ==, prices[i].total);
      g_assert_cmpstr (adw_action_row_get_subtitle (row_custom), ==, prices[i].unit);
      g_assert_true (gtk_widget_is_sensitive (part (dialog, "continue_button")));
    }

  /* Nothing to buy: no total, no Continue. */
  type_quantity (dialog, "0");
  g_assert_cmpstr (label_text (dialog, "total_label"), ==, "—");
  g_assert_false (gtk_widget_is_sensitive (part (dialog, "continue_button")));
  type_quantity (dialog, "100001");
  g_assert_false (gtk_widget_is_sensitive (part (dialog, "continue_button")));

  /* The last one typed is what is bought, at the price shown. */
  type_quantity (dialog, "999");
  click (dialog, "continue_button");
  g_assert_true (epsimo_ui_test_wait_for (url_opened, NULL, TIMEOUT_MS));
  assert_checkout_body (fixture, 999, 89.91);
}

static void
complete_checkout (Fixture    *fixture,
                   const char *url)
{
  const char *session_id = strrchr (url, '/') + 1;
  g_autofree char *body = g_strdup_printf ("{\"session_id\": \"%s\"}", session_id);
  g_autoptr(JsonNode) answer = epsimo_test_server_control (fixture->server, "POST",
                                                           "complete-checkout", body);
}

static gboolean
pill_says (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (gtk_button_get_label (args[0]), args[1]) == 0;
}

static void
wait_pill_label (Fixture    *fixture,
                 const char *text)
{
  gpointer args[] = { fixture->pill, (gpointer) text };

  g_assert_true (epsimo_ui_test_wait_for (pill_says, args, TIMEOUT_MS));
}

static void
test_checkout_then_success (Fixture       *fixture,
                            gconstpointer  dialect)
{
  GtkWidget *dialog = open_dialog (fixture);
  g_autofree char *url = NULL;
  g_autofree char *prefix = NULL;

  gtk_check_button_set_active (part (dialog, "check_500"), TRUE);
  click (dialog, "continue_button");

  /* The real browser hand-off: the handler got the server's https payment page. */
  url = read_opened_url ();
  g_assert_true (g_str_has_prefix (url, "https://checkout.stripe.com/c/pay/cs_"));
  assert_checkout_body (fixture, 500, 45.0);

  /* Waiting, with a spinner and a way out. */
  g_assert_cmpstr (page (dialog), ==, "waiting");
  g_assert_true (gtk_spinner_get_spinning (part (dialog, "waiting_spinner")));
  g_assert_true (gtk_widget_get_visible (part (dialog, "cancel_button")));

  /* Another "win.buy-credits" (the menu, the chat notice) lands on the same dialog. */
  gtk_widget_activate_action (fixture->window, "win.buy-credits", NULL);
  g_assert_cmpuint (fixture->buy_activations, ==, 2);
  g_assert_true (epsimo_ui_test_find_toplevel (EPSIMO_TYPE_BUY_CREDITS_DIALOG) == dialog);
  g_assert_cmpstr (page (dialog), ==, "waiting");

  /* The payment arrives: the balance polled rises, and the dialog says so. */
  complete_checkout (fixture, url);
  g_assert_true (epsimo_ui_test_wait_for (page_is_done, dialog, TIMEOUT_MS));
  g_assert_cmpstr (label_text (dialog, "done_balance_label"), ==, "0 of 600 threads used");
  g_assert_cmpstr (adw_status_page_get_description (part (dialog, "done_page")), ==,
                   "500 threads were added to your account.");
  g_assert_false (gtk_spinner_get_spinning (part (dialog, "waiting_spinner")));
  {
    g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (fixture->server);

    g_assert_cmpuint (epsimo_test_count_requests (requests, "GET", balance_path (fixture)), >=, 2);
  }

  /* The header follows. */
  wait_pill_label (fixture, "0 / 600");

  /* Done closes it. */
  click (dialog, "done_button");
  epsimo_ui_test_spin (50);
  g_assert_null (epsimo_ui_test_find_toplevel (EPSIMO_TYPE_BUY_CREDITS_DIALOG));
}

static guint
count_balance_requests (Fixture *fixture)
{
  g_autoptr(JsonArray) requests = epsimo_test_server_get_requests (fixture->server);

  return epsimo_test_count_requests (requests, "GET", balance_path (fixture));
}

static gboolean
polled_twice (gpointer data)
{
  gpointer *args = data;

  return count_balance_requests (args[0]) >= GPOINTER_TO_UINT (args[1]) + 2;
}

static void
test_cancel_stops_waiting (Fixture       *fixture,
                           gconstpointer  dialect)
{
  GtkWidget *dialog = open_dialog (fixture);
  g_autofree char *url = NULL;
  gpointer args[2];
  guint polls;

  click (dialog, "continue_button");
  url = read_opened_url ();
  g_assert_cmpstr (page (dialog), ==, "waiting");
  assert_checkout_body (fixture, 100, 10.0);

  /* It polls while waiting… */
  args[0] = fixture;
  args[1] = GUINT_TO_POINTER (count_balance_requests (fixture));
  g_assert_true (epsimo_ui_test_wait_for (polled_twice, args, TIMEOUT_MS));

  /* …and not after Cancel, which goes back to the choice as it was. */
  click (dialog, "cancel_button");
  g_assert_cmpstr (page (dialog), ==, "choose");
  g_assert_false (gtk_spinner_get_spinning (part (dialog, "waiting_spinner")));
  g_assert_true (gtk_check_button_get_active (part (dialog, "check_100")));
  epsimo_ui_test_spin (100);
  polls = count_balance_requests (fixture);
  epsimo_ui_test_spin (800);
  g_assert_cmpuint (count_balance_requests (fixture), ==, polls);
}

static void
test_refuses_http (Fixture       *fixture,
                   gconstpointer  dialect)
{
  GtkWidget *dialog = open_dialog (fixture);
  EpsimoErrorBanner *banner;

  epsimo_test_server_fail (fixture->server, "POST", checkout_path (fixture), 200, 1,
                           "{\"url\": \"http://evil.example/x\", \"session_id\": \"cs_evil\"}");
  click (dialog, "continue_button");
  g_assert_true (epsimo_ui_test_wait_for (banner_revealed, dialog, TIMEOUT_MS));

  banner = part (dialog, "error_banner");
  g_assert_nonnull (strstr (epsimo_error_banner_get_message (banner), "secure"));
  g_assert_false (epsimo_error_banner_get_show_retry (banner));
  g_assert_cmpstr (page (dialog), ==, "choose");
  g_assert_true (gtk_widget_is_sensitive (part (dialog, "continue_button")));

  /* The server was asked, and nothing was handed to the browser. */
  {
    g_autoptr(JsonObject) body = checkout_request_body (fixture);

    g_assert_nonnull (body);
  }
  epsimo_ui_test_spin (500);
  g_assert_false (g_file_test (url_file, G_FILE_TEST_EXISTS));
}

static void
test_errors_in_place (Fixture       *fixture,
                      gconstpointer  dialect)
{
  GtkWidget *dialog = open_dialog (fixture);
  EpsimoErrorBanner *banner = part (dialog, "error_banner");
  g_autofree char *url = NULL;

  /* The server refuses the quantity: said beside it, what was typed kept. */
  type_quantity (dialog, "750");
  epsimo_test_server_fail (fixture->server, "POST", checkout_path (fixture), 422, 1,
                           "{\"error\": \"Unprocessable Entity\", "
                           "\"detail\": \"'quantity' must be a whole number from 1 to 100000\", "
                           "\"field\": \"quantity\"}");
  click (dialog, "continue_button");
  g_assert_true (epsimo_ui_test_wait_for (quantity_error_shown, dialog, TIMEOUT_MS));
  g_assert_cmpstr (label_text (dialog, "quantity_error_label"), ==,
                   "'quantity' must be a whole number from 1 to 100000");
  g_assert_true (gtk_widget_has_css_class (part (dialog, "custom_spin"), "error"));
  g_assert_false (epsimo_error_banner_get_revealed (banner));
  g_assert_cmpstr (gtk_editable_get_text (part (dialog, "custom_spin")), ==, "750");
  g_assert_cmpstr (page (dialog), ==, "choose");

  /* Editing the quantity clears it. */
  type_quantity (dialog, "751");
  g_assert_false (gtk_widget_get_visible (part (dialog, "quantity_error_label")));
  g_assert_false (gtk_widget_has_css_class (part (dialog, "custom_spin"), "error"));

  /* The server fails: a banner with Retry, which then works. */
  epsimo_test_server_fail (fixture->server, "POST", checkout_path (fixture), 503, 1, NULL);
  click (dialog, "continue_button");
  g_assert_true (epsimo_ui_test_wait_for (banner_revealed, dialog, TIMEOUT_MS));
  g_assert_true (epsimo_error_banner_get_show_retry (banner));
  g_assert_cmpstr (page (dialog), ==, "choose");
  g_assert_false (gtk_widget_get_visible (part (dialog, "continue_spinner")));
  g_assert_false (g_file_test (url_file, G_FILE_TEST_EXISTS));

  g_signal_emit_by_name (banner, "retry");
  url = read_opened_url ();
  g_assert_true (g_str_has_prefix (url, "https://checkout.stripe.com/c/pay/"));
  g_assert_true (epsimo_ui_test_wait_for (page_is_waiting, dialog, TIMEOUT_MS));
  g_assert_false (epsimo_error_banner_get_revealed (banner));
}

static void
test_wait_times_out (Fixture       *fixture,
                     gconstpointer  dialect)
{
  GtkWidget *dialog = open_dialog (fixture);
  g_autofree char *url = NULL;

  epsimo_buy_credits_dialog_set_poll_duration (EPSIMO_BUY_CREDITS_DIALOG (dialog), 300);
  click (dialog, "continue_button");
  url = read_opened_url ();

  /* The wait ends: no spinner forever, a way to check again. */
  g_assert_true (epsimo_ui_test_wait_for (timed_out, dialog, TIMEOUT_MS));
  g_assert_false (gtk_spinner_get_spinning (part (dialog, "waiting_spinner")));
  g_assert_true (gtk_widget_get_visible (part (dialog, "waiting_message")));
  g_assert_cmpstr (page (dialog), ==, "waiting");

  complete_checkout (fixture, url);
  epsimo_buy_credits_dialog_set_poll_duration (EPSIMO_BUY_CREDITS_DIALOG (dialog), 60000);
  click (dialog, "check_again_button");
  g_assert_true (epsimo_ui_test_wait_for (page_is_done, dialog, TIMEOUT_MS));
  g_assert_cmpstr (label_text (dialog, "done_balance_label"), ==, "0 of 200 threads used");
}

static gboolean
window_active (gpointer window)
{
  return gtk_window_is_active (window);
}

static gboolean
window_inactive (gpointer window)
{
  return !gtk_window_is_active (window);
}

static void
test_polls_on_focus (Fixture       *fixture,
                     gconstpointer  dialect)
{
  GtkWidget *dialog = open_dialog (fixture);
  GtkWidget *browser;
  g_autofree char *url = NULL;

  if (!epsimo_ui_test_wait_for (window_active, dialog, 5000))
    {
      g_test_skip ("No window manager gives the focus here");
      return;
    }

  /* Only focus can make it check now. */
  epsimo_buy_credits_dialog_set_poll_interval (EPSIMO_BUY_CREDITS_DIALOG (dialog), 600000);
  click (dialog, "continue_button");
  url = read_opened_url ();
  g_assert_true (epsimo_ui_test_wait_for (page_is_waiting, dialog, TIMEOUT_MS));
  complete_checkout (fixture, url);

  /* The user goes to the browser, pays, and comes back. */
  browser = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (browser), "Browser");
  gtk_window_present (GTK_WINDOW (browser));
  if (!epsimo_ui_test_wait_for (window_inactive, dialog, 5000)
      || g_strcmp0 (page (dialog), "done") == 0)
    {
      gtk_window_destroy (GTK_WINDOW (browser));
      g_test_skip ("No window manager moves the focus here");
      return;
    }
  gtk_window_destroy (GTK_WINDOW (browser));
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (epsimo_ui_test_wait_for (window_active, dialog, TIMEOUT_MS));
  g_assert_true (epsimo_ui_test_wait_for (page_is_done, dialog, TIMEOUT_MS));
  g_assert_cmpstr (label_text (dialog, "done_balance_label"), ==, "0 of 200 threads used");
}

static void
assert_pill (Fixture    *fixture,
             gint64      counter,
             gint64      max,
             const char *style)
{
  g_autofree char *label = g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT,
                                            counter, max);
  g_autofree char *words = g_strdup_printf ("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                                            " threads used", counter, max);

  set_quota (fixture, counter, max);
  epsimo_session_refresh_balance (fixture->session);
  wait_pill_label (fixture, label);

  g_assert_cmpstr (gtk_widget_get_tooltip_text (fixture->pill), ==, words);
  g_assert_true (gtk_widget_has_css_class (fixture->pill, "credits-pill"));
  g_assert_cmpint (gtk_widget_has_css_class (fixture->pill, "warning"), ==,
                   g_strcmp0 (style, "warning") == 0);
  g_assert_cmpint (gtk_widget_has_css_class (fixture->pill, "error"), ==,
                   g_strcmp0 (style, "error") == 0);
}

static void
test_pill (Fixture       *fixture,
           gconstpointer  dialect)
{
  GtkWidget *other;

  /* A new account: 0 of 100. */
  wait_pill_label (fixture, "0 / 100");

  assert_pill (fixture, 12, 100, NULL);
  assert_pill (fixture, 90, 100, NULL);          /* 10 left, 90 %: still fine */
  assert_pill (fixture, 91, 100, "warning");     /* 9 left */
  assert_pill (fixture, 900, 1000, NULL);        /* 100 left, 90 % */
  assert_pill (fixture, 901, 1000, "warning");   /* more than 90 % used */
  assert_pill (fixture, 0, 5, "warning");        /* 5 left */
  assert_pill (fixture, 99, 100, "warning");
  assert_pill (fixture, 100, 100, "error");      /* none left */
  assert_pill (fixture, 7, 0, "error");
  assert_pill (fixture, 40, 100, NULL);

  /* The window regaining focus refreshes it (threads used in another client). */
  set_quota (fixture, 55, 100);
  other = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (other));
  if (epsimo_ui_test_wait_for (window_active, other, 5000)
      && epsimo_ui_test_wait_for (window_inactive, fixture->window, 5000))
    {
      gtk_window_destroy (GTK_WINDOW (other));
      gtk_window_present (GTK_WINDOW (fixture->window));
      wait_pill_label (fixture, "55 / 100");
    }
  else
    {
      gtk_window_destroy (GTK_WINDOW (other));
      g_test_message ("No window manager moves the focus here: focus refresh not checked");
    }

  /* A new thread elsewhere: the window asks for a refresh, the pill follows. */
  set_quota (fixture, 56, 100);
  epsimo_session_refresh_balance (fixture->session);
  wait_pill_label (fixture, "56 / 100");

  /* Clicking it is "win.buy-credits". */
  g_signal_emit_by_name (fixture->pill, "clicked");
  g_assert_cmpuint (fixture->buy_activations, ==, 1);
  g_assert_true (epsimo_ui_test_wait_for (dialog_shown, NULL, TIMEOUT_MS));

  /* No session: nothing of the account is shown. */
  epsimo_credits_pill_set_session (EPSIMO_CREDITS_PILL (fixture->pill), NULL);
  g_assert_false (gtk_widget_get_visible (fixture->pill));
}

static void
add_both (const char *name,
          void      (*func) (Fixture *, gconstpointer))
{
  const char *dialects[] = { "live", "reference" };

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      g_autofree char *path = g_strdup_printf ("/credits/%s/%s", dialects[i], name);

      g_test_add (path, Fixture, dialects[i], fixture_setup, func, fixture_teardown);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  install_url_catcher ();
  epsimo_ui_test_init (&argc, &argv);
  if (g_getenv ("EPSIMO_TEST_SERVER") == NULL)
    {
      g_test_skip ("EPSIMO_TEST_SERVER is not set");
      remove_tree (scratch_dir);
      return 77;
    }

  g_test_add_func ("/credits/money", test_money);
  add_both ("prices-shown", test_prices_shown);
  add_both ("checkout-then-success", test_checkout_then_success);
  add_both ("cancel-stops-waiting", test_cancel_stops_waiting);
  add_both ("refuses-http", test_refuses_http);
  add_both ("errors-in-place", test_errors_in_place);
  add_both ("wait-times-out", test_wait_times_out);
  add_both ("polls-on-focus", test_polls_on_focus);
  add_both ("pill", test_pill);

  status = g_test_run ();
  remove_tree (scratch_dir);
  return status;
}
