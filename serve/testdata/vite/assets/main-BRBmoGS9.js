/* assets/main-BRBmoGS9.js */
