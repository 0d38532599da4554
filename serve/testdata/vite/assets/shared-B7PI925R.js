/* assets/shared-B7PI925R.js */
