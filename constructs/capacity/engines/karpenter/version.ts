/** The Karpenter chart (and controller) version this package pins; the controller policy follows its reference policy. */
export const KARPENTER_VERSION = '1.11.1';
