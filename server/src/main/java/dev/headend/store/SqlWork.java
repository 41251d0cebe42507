package dev.headend.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with one connection of the {@link Database}. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
