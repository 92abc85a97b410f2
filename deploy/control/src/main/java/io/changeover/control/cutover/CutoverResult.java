package io.changeover.control.cutover;

/**
 * How a cutover ended.
 *
 * @param cutOver whether every stage passed and the cutover is recorded
 * @param stage   the stage that stopped it (null when it succeeded)
 * @param reason  why it stopped (null when it succeeded)
 */
public record CutoverResult(boolean cutOver, String stage, String reason) {
    public static CutoverResult success() {
        return new CutoverResult(true, null, null);
    }
}
