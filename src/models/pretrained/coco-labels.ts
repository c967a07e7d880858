/**
 * The 80 COCO object classes in the order detectors trained on COCO 2017
 * number them (0-based, the 91 original category ids with the 11 unused ones
 * removed: the convention of torchvision's `COCO_V2` meta, Detectron2, YOLO,
 * NanoDet and CenterNet). `COCO_LABELS[classId]` names a detection's class.
 *
 * @example
 * COCO_LABELS[2]; // 'car'
 */
export const COCO_LABELS: readonly string[] = Object.freeze([
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed',
  'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven',
  'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush',
]);

/** Number of COCO classes a detector scores: 80. */
export const NUM_COCO_CLASSES = COCO_LABELS.length;
