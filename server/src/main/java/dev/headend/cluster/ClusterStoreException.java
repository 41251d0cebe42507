package dev.headend.cluster;

/** The cluster's store could not be reached or did not answer in time; the command's outcome is unknown. */
public final class ClusterStoreException extends Exception {
    public ClusterStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
