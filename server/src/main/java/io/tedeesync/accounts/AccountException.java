package io.tedeesync.accounts;

/** Why the accounts API refused: each reason is one HTTP status. The message never holds a secret. */
public final class AccountException extends RuntimeException {
    /** What went wrong, and the status it answers. */
    public enum Reason {
        /** The request itself is wrong (400). */
        INVALID(400, "invalid_account"),
        /** No such account (404). */
        NOT_FOUND(404, "not_found"),
        /** The name is taken (409). */
        TAKEN(409, "name_taken"),
        /** Declared in the accounts file or by flags: changed there, not over the API (409). */
        DECLARED(409, "declared_account"),
        /** Tedee refused the credentials (422). */
        REFUSED(422, "credentials_refused"),
        /** Tedee could not be reached or failed (502). */
        UNREACHABLE(502, "tedee_unreachable"),
        /** The store could not keep it (503). */
        STORE(503, "store_unavailable");

        private final int status;
        private final String code;

        Reason(int status, String code) {
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public AccountException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
