package io.changeover.sink;

/** The same guarantees with the read-check guard. */
class BulkApplierReadCheckIT extends BulkApplierIT {
    @Override
    BulkApplier.Guard guard() {
        return BulkApplier.Guard.READ_CHECK;
    }
}
