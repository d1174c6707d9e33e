package io.tedeesync.accounts;

import java.util.regex.Pattern;

/** What an account name may be: it appears in URLs, logs, metrics and topics, so plain characters only. */
final class AccountNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private AccountNames() {
    }

    static void check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new AccountException(AccountException.Reason.INVALID,
                    "an account name is 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
    }
}
