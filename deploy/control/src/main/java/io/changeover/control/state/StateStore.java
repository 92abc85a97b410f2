package io.changeover.control.state;

import java.util.Optional;

/** Where a migration's state is kept between processes. */
public interface StateStore {

    /** The last state saved, or empty for a migration that never saved one. */
    Optional<StateRecord> load();

    void save(StateRecord record);
}
